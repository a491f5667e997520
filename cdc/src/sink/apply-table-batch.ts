import type { PoolClient } from "pg";
import { SINK_SCHEMA } from "../defaults";
import type { ChangeEvent } from "../envelope/debezium-envelope";
import type { MappedRow, RowMapper } from "../mapping/row-mapper";
import { applyEvent, type EventOutcome } from "./apply-event";
import { onConflictClause } from "./row-writer";
import { isTransientError } from "./transient-error";

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const FAST_SAVEPOINT = "strangler_table";

/** One event of a batch with its raw form, as the sink keeps them. */
export interface BatchEvent {
  event: ChangeEvent;
  raw: unknown;
}

export interface TableOutcome extends BatchEvent {
  outcome: EventOutcome;
}

interface Mapped extends BatchEvent {
  row: MappedRow;
  key: string;
  columns: string[];
}

/** Comparable value of the newerBy column, or null when it cannot be compared safely. */
function newerByValue(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string") {
    const time = Date.parse(value);
    return Number.isFinite(time) ? time : null;
  }
  return null;
}

/**
 * True when applying only the last event of a key gives the row the per-event path would give:
 * the upserts set the same columns and, with `newerBy`, never go back in time.
 */
function reducible(events: readonly Mapped[], mapper: RowMapper): boolean {
  if (events.length === 1) return true;
  const upserts = events.filter((e) => e.event.op !== "d");
  const signature = upserts[0]?.columns.join("\u0000");
  if (upserts.some((e) => e.columns.join("\u0000") !== signature)) return false;
  const newerBy = mapper.newerBy;
  if (newerBy === undefined || !upserts[0]?.columns.includes(newerBy)) return true;
  let previous = -Infinity;
  for (const e of upserts) {
    const value = newerByValue(e.row.values[newerBy]);
    if (value === null || value < previous) return false;
    previous = value;
  }
  return true;
}

async function perEvent(client: PoolClient, events: readonly BatchEvent[], mappers: ReadonlyMap<string, RowMapper>, out: TableOutcome[]): Promise<void> {
  for (const item of events) out.push({ ...item, outcome: await applyEvent(client, item.event, mappers) });
}

/**
 * The set-based fast path for one target table: reads and advances the positions of all keys in
 * one statement, then deletes and upserts (grouped by column set) the rows whose position advanced. Returns the outcomes
 * of `fast`; throws when a statement fails (the caller rolls back to its savepoint).
 */
async function applySetBased(client: PoolClient, mapper: RowMapper, fast: readonly Mapped[]): Promise<TableOutcome[]> {
  const table = quote(mapper.targetTable);
  const key = quote(mapper.targetKey);
  // Per key, the event that ends up applied if any: the first with the highest LSN (equal LSNs after it are not newer).
  const last = new Map<string, Mapped>();
  for (const item of fast) {
    const seen = last.get(item.key);
    if (!seen || item.event.source.lsn > seen.event.source.lsn) last.set(item.key, item);
  }
  const candidates = [...last.values()];
  // One statement: read the stored positions (the statement's snapshot, before its own write) and
  // advance those that are older than the key's highest LSN in the batch.
  const positions = await client.query<{ row_key: string; lsn: string | null; advanced: boolean }>(
    `WITH u AS (SELECT * FROM unnest($2::text[], $3::numeric[], $4::boolean[]) AS u(k, l, d)),
     old AS (SELECT row_key, lsn FROM ${SINK_SCHEMA}.row_positions WHERE target_table = $1 AND row_key = ANY($2::text[])),
     up AS (
       INSERT INTO ${SINK_SCHEMA}.row_positions AS p (target_table, row_key, lsn, deleted)
       SELECT $1, k, l, d FROM u
       ON CONFLICT (target_table, row_key) DO UPDATE SET lsn = EXCLUDED.lsn, deleted = EXCLUDED.deleted
       WHERE p.lsn < EXCLUDED.lsn
       RETURNING row_key)
     SELECT u.k AS row_key, old.lsn::text AS lsn, (up.row_key IS NOT NULL) AS advanced
     FROM u LEFT JOIN old ON old.row_key = u.k LEFT JOIN up ON up.row_key = u.k`,
    [mapper.targetTable, candidates.map((c) => c.key), candidates.map((c) => String(c.event.source.lsn)), candidates.map((c) => c.event.op === "d")],
  );
  const running = new Map<string, number>();
  const advanced = new Set<string>();
  for (const r of positions.rows) {
    if (r.lsn !== null) running.set(r.row_key, Number(r.lsn));
    if (r.advanced) advanced.add(r.row_key);
  }
  const outcomes: TableOutcome[] = [];
  // The last applied event per key, and whether an applied delete came before it.
  const finals = new Map<string, { item: Mapped; deletedBefore: boolean }>();
  for (const item of fast) {
    const position = running.get(item.key);
    if (position !== undefined && !(item.event.source.lsn > position)) {
      outcomes.push({ event: item.event, raw: item.raw, outcome: { kind: "skipped", rowKey: item.key } });
      continue;
    }
    running.set(item.key, item.event.source.lsn);
    // Superseded events count as applied, as they would be one by one (each one advanced the position).
    outcomes.push({ event: item.event, raw: item.raw, outcome: { kind: "applied", rowKey: item.key } });
    const previous = finals.get(item.key);
    const deletedBefore = (previous?.deletedBefore ?? false) || previous?.item.event.op === "d";
    finals.set(item.key, { item, deletedBefore });
  }
  // A concurrent writer moved a position between the snapshot and the write: let the per-event path decide.
  if (advanced.size !== finals.size || [...finals.keys()].some((k) => !advanced.has(k))) throw new Error("row positions changed concurrently");
  if (finals.size === 0) return outcomes;
  const finalRows = [...finals.values()];
  const keyJson = (item: Mapped): Record<string, unknown> => ({ [mapper.targetKey]: item.row.key });

  const deletes = finalRows.filter((f) => f.item.event.op === "d" || f.deletedBefore).map((f) => keyJson(f.item));
  if (deletes.length > 0) {
    await client.query(`DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb))`, [JSON.stringify(deletes)]);
  }

  const groups = new Map<string, Mapped[]>();
  for (const { item } of finalRows) {
    if (item.event.op === "d") continue;
    const signature = item.columns.join("\u0000");
    const group = groups.get(signature);
    if (group) group.push(item);
    else groups.set(signature, [item]);
  }
  for (const group of groups.values()) {
    const columns = group[0]?.columns ?? [];
    const names = [mapper.targetKey, ...columns].map(quote).join(", ");
    const rows = group.map((item) => ({ ...item.row.values, [mapper.targetKey]: item.row.key }));
    await client.query(
      `INSERT INTO ${table} AS t (${names}) SELECT ${names} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) ${onConflictClause(mapper, columns)}`,
      [JSON.stringify(rows)],
    );
  }

  return outcomes;
}

/**
 * Applies the events of one source table (in LSN order) inside the batch transaction: set-based
 * when possible, event by event (dead-lettering the bad ones) for unmappable events, keys whose
 * events cannot be reduced to their last one, and after any failure of the set-based statements.
 * A transient error (connection, lock timeout, serialization) is rethrown: the batch is retried.
 */
export async function applyTableEvents(client: PoolClient, events: readonly BatchEvent[], mappers: ReadonlyMap<string, RowMapper>): Promise<TableOutcome[]> {
  const out: TableOutcome[] = [];
  const first = events[0];
  const mapper = first ? mappers.get(first.event.source.table) : undefined;
  if (!mapper) {
    await perEvent(client, events, mappers, out);
    return out;
  }
  const slow: BatchEvent[] = [];
  const mapped: Mapped[] = [];
  for (const item of events) {
    const { event } = item;
    const image = event.op === "d" ? event.before : event.after;
    if (event.op === "t" || !image) {
      slow.push(item);
      continue;
    }
    try {
      const row = mapper.map(image);
      mapped.push({ ...item, row, key: String(row.key), columns: Object.keys(row.values) });
    } catch {
      slow.push(item);
    }
  }
  const byKey = new Map<string, Mapped[]>();
  for (const item of mapped) {
    const list = byKey.get(item.key);
    if (list) list.push(item);
    else byKey.set(item.key, [item]);
  }
  const fast: Mapped[] = [];
  for (const item of mapped) {
    if (reducible(byKey.get(item.key) ?? [], mapper)) fast.push(item);
    else slow.push(item);
  }
  if (fast.length > 0) {
    await client.query(`SAVEPOINT ${FAST_SAVEPOINT}`);
    try {
      out.push(...(await applySetBased(client, mapper, fast)));
      await client.query(`RELEASE SAVEPOINT ${FAST_SAVEPOINT}`);
    } catch (error) {
      if (isTransientError(error)) throw error;
      await client.query(`ROLLBACK TO SAVEPOINT ${FAST_SAVEPOINT}`);
      out.length = 0;
      slow.push(...fast);
    }
  }
  slow.sort((a, b) => a.event.source.lsn - b.event.source.lsn);
  await perEvent(client, slow, mappers, out);
  return out;
}
