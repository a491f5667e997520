import { KEEP_TEXT_TYPES, useTextSession } from "@strangler/cdc";
import pg from "pg";
import { type KeyOrderKind, keyParamSql } from "./key-order";

/** A row as read: text values (null for SQL NULL), the key columns first. */
export type TextRow = ReadonlyArray<string | null>;

/** One database connection of a parity run, in the text session the CDC sources use (ADR 0011). */
export async function openParityConnection(url: string, label: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: "strangler-parity", types: KEEP_TEXT_TYPES });
  // A connection lost between two statements is emitted here; the next statement reports it.
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new Error(`cannot connect to ${label}: ${(error as Error).message}`, { cause: error });
  }
  await useTextSession(client);
  return client;
}

/** What one side's scan reads: a table's SELECT list in key order, after a key or from the start. */
export interface ScanQuery {
  tableSql: string;
  select: readonly string[];
  order: readonly string[];
  kinds: readonly KeyOrderKind[];
  /** Only keys after this one (a resumed run's last key). */
  after: readonly string[] | null;
  /** Only keys up to and including this one (a checksum range), and from this one on. */
  through?: readonly string[];
  from?: readonly string[];
}

/** The SQL and parameters of a scan: keyset bounds on the key's ORDER BY expressions. */
export function scanSql(query: ScanQuery): { text: string; values: string[] } {
  const values: string[] = [];
  const bound = (key: readonly string[], operator: string): string => {
    const params = key.map((value, i) => {
      values.push(value);
      return keyParamSql(query.kinds[i] as KeyOrderKind, values.length);
    });
    return `(${query.order.join(", ")}) ${operator} (${params.join(", ")})`;
  };
  const where: string[] = [];
  if (query.after) where.push(bound(query.after, ">"));
  if (query.from) where.push(bound(query.from, ">="));
  if (query.through) where.push(bound(query.through, "<="));
  // Aliased: a bare name in ORDER BY means the output column of that name first, and `"id"::text` is named id
  // (integer keys would sort as text).
  const select = query.select.map((sql, i) => `${sql} AS strangler_c${i}`);
  const text = `SELECT ${select.join(", ")} FROM ${query.tableSql}${
    where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""
  } ORDER BY ${query.order.join(", ")}`;
  return { text, values };
}

/**
 * Reads one side in key order through a server-side cursor, a batch at a time, so memory stays flat
 * whatever the table's size. The scan runs in a REPEATABLE READ transaction: one snapshot for the
 * whole table. `snapshotLsn` is the WAL position at the snapshot (every change the scan sees is at
 * or before it), read only where asked (the side that owns the writes).
 */
export interface SideScan {
  snapshotLsn: string | null;
  /** The next rows (at most the fetch size); an empty array at the end. */
  next(): Promise<TextRow[]>;
  /** Ends the transaction; the connection stays open. */
  close(): Promise<void>;
}

export async function openSideScan(
  client: pg.Client,
  query: ScanQuery,
  options: { fetchSize: number; withLsn: boolean; cursor: string },
): Promise<SideScan> {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  let open = true;
  try {
    // The first statement takes the snapshot; the WAL position is read after it, so it is at or past every change the snapshot sees.
    const lsn = options.withLsn
      ? ((await client.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn")).rows[0]?.lsn ?? null)
      : (await client.query("SELECT 1"), null);
    const { text, values } = scanSql(query);
    await client.query(`DECLARE ${options.cursor} NO SCROLL CURSOR FOR ${text}`, values);
    const fetch = `FETCH ${options.fetchSize} FROM ${options.cursor}`;
    return {
      snapshotLsn: lsn,
      async next() {
        if (!open) return [];
        const result = await client.query<string[]>({ text: fetch, rowMode: "array" });
        return result.rows;
      },
      async close() {
        if (!open) return;
        open = false;
        await client.query("ROLLBACK").catch(() => undefined);
      },
    };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/** Rows of a scan one at a time, with a look at the next one (the merge's cursor). */
export class RowStream {
  private rows: TextRow[] = [];
  private index = 0;
  private ended = false;

  constructor(private readonly scan: SideScan) {}

  /** The next row without taking it; null at the end. */
  async peek(): Promise<TextRow | null> {
    if (this.index < this.rows.length) return this.rows[this.index] as TextRow;
    if (this.ended) return null;
    this.rows = await this.scan.next();
    this.index = 0;
    if (this.rows.length === 0) {
      this.ended = true;
      return null;
    }
    return this.rows[0] as TextRow;
  }

  /** The row peek() returned, when it is buffered (no await on the hot path). */
  current(): TextRow | null {
    return this.index < this.rows.length ? (this.rows[this.index] as TextRow) : null;
  }

  take(): void {
    this.index += 1;
  }
}
