import { KEEP_TEXT_TYPES, useTextSession } from "@strangler/cdc";
import pg from "pg";
import { type KeyOrderKind, keyParamSql } from "./key-order";

/** A row as read: text values (null for SQL NULL), the key columns first. */
export type TextRow = ReadonlyArray<string | null>;

/** One database connection of a parity run, in the text session the CDC sources use (ADR 0011); rows are read as text with KEEP_TEXT_TYPES per query. */
export async function openParityConnection(url: string, label: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: "strangler-parity" });
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
  // Output columns get names of their own: an ORDER BY name would otherwise pick the output column
  // (the key's text, `"id"::text` is named id) over the table's column, and sort numbers as text.
  const select = query.select.map((expression, i) => `${expression} AS strangler_c${i}`);
  const text = `SELECT ${select.join(", ")} FROM ${query.tableSql}${
    where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""
  } ORDER BY ${query.order.join(", ")}`;
  return { text, values };
}

/**
 * Reads one side in key order through a server-side cursor, a batch at a time, so memory stays flat
 * whatever the table's size. The scan runs in a REPEATABLE READ transaction: one snapshot for the
 * whole table (taken by its first statement, the DECLARE). Differences are judged against CDC's
 * position by the re-check (lag-recheck.ts), which reads the rows again with the WAL position.
 */
export interface SideScan {
  /** The next rows (at most the fetch size); an empty array at the end. */
  next(): Promise<TextRow[]>;
  /** Ends the transaction; the connection stays open. */
  close(): Promise<void>;
}

export async function openSideScan(
  client: pg.Client,
  query: ScanQuery,
  options: { fetchSize: number; cursor: string },
): Promise<SideScan> {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  let open = true;
  try {
    const { text, values } = scanSql(query);
    await client.query(`DECLARE ${options.cursor} NO SCROLL CURSOR FOR ${text}`, values);
    const fetch = `FETCH ${options.fetchSize} FROM ${options.cursor}`;
    return {
      async next() {
        if (!open) return [];
        const result = await client.query<string[]>({ text: fetch, rowMode: "array", types: KEEP_TEXT_TYPES });
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

/**
 * Rows of a scan one at a time, with a look at the next one (the merge's cursor). As soon as a batch
 * arrives the next one is asked for, so the server reads it (and the other side's scan its own)
 * while this one is merged: the merge no longer waits for each FETCH in turn.
 */
export class RowStream {
  private rows: TextRow[] = [];
  private index = 0;
  private ended = false;
  private ahead: Promise<TextRow[]> | null = null;

  constructor(private readonly scan: SideScan) {}

  private fetchAhead(): void {
    const next = this.scan.next();
    // Its failure is thrown where it is awaited (the next peek); until then it must not count as unhandled.
    next.catch(() => undefined);
    this.ahead = next;
  }

  /** The next row without taking it; null at the end. */
  async peek(): Promise<TextRow | null> {
    if (this.index < this.rows.length) return this.rows[this.index] as TextRow;
    if (this.ended) return null;
    const pending = this.ahead ?? this.scan.next();
    this.ahead = null;
    this.rows = await pending;
    this.index = 0;
    if (this.rows.length === 0) {
      this.ended = true;
      return null;
    }
    this.fetchAhead();
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
