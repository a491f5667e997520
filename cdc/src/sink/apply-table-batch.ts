import type { PoolClient } from "pg";
import type { MappedRow, RowMapper } from "../mapping/row-mapper";
import { eventTableName } from "../mapping/compile-table-mapping";
import { encodeRowKey } from "../mapping/row-key";
import { toPgText } from "../mapping/pg-text";
import type { RowImage } from "../envelope/debezium-envelope";
import { comparableNewerBy } from "./newer-by-order";
import { applyEvent } from "./apply-event";
import { applySetBased, KnownKeysError, type BatchEvent, type Mapped, type TableOutcome } from "./set-based-apply";
import { forgetTargetTable } from "./target-table-state";
import { isTransientError } from "./transient-error";

export type { BatchEvent, TableOutcome } from "./set-based-apply";

const FAST_SAVEPOINT = "strangler_table";
/** SQLSTATE class 23: integrity constraint violations (unique, foreign key, check, not null). */
const INTEGRITY_CONSTRAINT_CLASS = "23";

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
  let previous: bigint | null = null;
  for (const e of upserts) {
    const value = comparableNewerBy(e.row.values[newerBy]);
    if (value === null || (previous !== null && value < previous)) return false;
    previous = value;
  }
  return true;
}

async function perEvent(
  client: PoolClient,
  events: readonly BatchEvent[],
  mappers: ReadonlyMap<string, RowMapper>,
  out: TableOutcome[],
): Promise<void> {
  for (const { event, raw } of events) out.push({ event, raw, outcome: await applyEvent(client, event, mappers) });
}

/**
 * Applies the events of one source table (in LSN order) inside the batch transaction: set-based
 * when possible, event by event (dead-lettering the bad ones) for unmappable events, keys whose
 * events cannot be reduced to their last one, and after any failure of the set-based statements.
 * A transient error (connection, lock timeout, serialization) is rethrown: the batch is retried.
 */
export async function applyTableEvents(
  client: PoolClient,
  events: readonly BatchEvent[],
  mappers: ReadonlyMap<string, RowMapper>,
  onFallback: () => void = () => undefined,
): Promise<TableOutcome[]> {
  const out: TableOutcome[] = [];
  const first = events[0];
  const mapper = first ? mappers.get(eventTableName(first.event.source)) : undefined;
  if (!mapper) {
    await perEvent(client, events, mappers, out);
    return out;
  }
  // A truncate splits the table's events: what came before it applies before it, what came after, after.
  let segment: BatchEvent[] = [];
  for (const item of splitKeyChanges(events, mapper)) {
    if (item.event.op !== "t") {
      segment.push(item);
      continue;
    }
    out.push(...(await applySegment(client, segment, mapper, mappers, onFallback)));
    segment = [];
    await perEvent(client, [item], mappers, out);
  }
  out.push(...(await applySegment(client, segment, mapper, mappers, onFallback)));
  return out;
}

/** True when a key column differs between the update's before and after images (compared as text). */
function keyChanged(before: RowImage, after: RowImage, mapper: RowMapper): boolean {
  return mapper.sourceKeys.some((column) => toPgText(before[column]) !== toPgText(after[column]));
}

/**
 * An update whose primary key changed, as the embedded source delivers it, becomes what Debezium
 * sends for it: a delete of the old key that names the new one (`keyMovedTo`), then a create of the
 * new key, at the same position. The sink applies the pair as a move of the row (key-move.ts).
 */
export function splitKeyChanges(events: readonly BatchEvent[], mapper: RowMapper): readonly BatchEvent[] {
  let out: BatchEvent[] | null = null;
  for (let i = 0; i < events.length; i++) {
    const item = events[i] as BatchEvent;
    const { event } = item;
    if (event.op === "u" && event.before && event.after && keyChanged(event.before, event.after, mapper)) {
      out ??= events.slice(0, i);
      out.push(
        { event: { ...event, op: "d", after: null, keyMovedTo: event.after }, raw: item.raw },
        { event: { ...event, op: "c", before: null }, raw: item.raw },
      );
      continue;
    }
    out?.push(item);
  }
  return out ?? events;
}

/** The row events of one table between truncates: set-based where possible, then the rest event by event. */
async function applySegment(
  client: PoolClient,
  events: readonly BatchEvent[],
  mapper: RowMapper,
  mappers: ReadonlyMap<string, RowMapper>,
  onFallback: () => void,
): Promise<TableOutcome[]> {
  const out: TableOutcome[] = [];
  const slow: BatchEvent[] = [];
  const mapped: Mapped[] = [];
  // Events per key, to find the keys with several events (bulk loads have one per key: keep that path lean).
  const counts = new Map<string, number>();
  // Keys a key change moves a row from or to: all their events go event by event, in order.
  const moving = new Set<string>();
  for (const item of events) {
    const { event } = item;
    const image = event.op === "d" ? event.before : event.after;
    let row: MappedRow;
    try {
      if (!image) throw new Error("no row image");
      row = mapper.map(image);
      if (event.keyMovedTo) {
        moving.add(encodeRowKey(row.key));
        moving.add(encodeRowKey(mapper.map(event.keyMovedTo).key));
        slow.push(item);
        continue;
      }
    } catch {
      slow.push(item);
      continue;
    }
    const key = encodeRowKey(row.key);
    mapped.push({ event, raw: item.raw, row, key, columns: Object.keys(row.values) });
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let fast: Mapped[] = mapped;
  const repeated = new Set<string>();
  if (moving.size > 0) {
    fast = mapped.filter((item) => !moving.has(item.key));
    slow.push(...mapped.filter((item) => moving.has(item.key)));
  }
  if (counts.size !== mapped.length) {
    const byKey = new Map<string, Mapped[]>();
    for (const item of fast) {
      if ((counts.get(item.key) ?? 0) < 2) continue;
      const list = byKey.get(item.key);
      if (list) list.push(item);
      else byKey.set(item.key, [item]);
    }
    const irreducible = new Set<string>();
    for (const [key, list] of byKey) {
      if (reducible(list, mapper)) repeated.add(key);
      else irreducible.add(key);
    }
    if (irreducible.size > 0) {
      slow.push(...fast.filter((item) => irreducible.has(item.key)));
      fast = fast.filter((item) => !irreducible.has(item.key));
    }
  }
  if (fast.length > 0) {
    await client.query(`SAVEPOINT ${FAST_SAVEPOINT}`);
    try {
      let outcomes: TableOutcome[];
      try {
        outcomes = await applySetBased(client, mapper, fast, repeated);
      } catch (error) {
        if (!(error instanceof KnownKeysError)) throw error;
        // The optimistic plain INSERT of positions met known keys: again, with the upsert.
        await client.query(`ROLLBACK TO SAVEPOINT ${FAST_SAVEPOINT}`);
        outcomes = await applySetBased(client, mapper, fast, repeated);
      }
      out.push(...outcomes);
      // Not released: COMMIT releases it, and a round trip per table and batch is measurable. A later
      // SAVEPOINT of the same name nests inside it, and ROLLBACK TO goes to the most recent one.
    } catch (error) {
      if (isTransientError(error)) throw error;
      await client.query(`ROLLBACK TO SAVEPOINT ${FAST_SAVEPOINT}`);
      forgetTargetTable(client, mapper.targetTable);
      onFallback();
      out.length = 0;
      slow.push(...fast);
    }
  }
  slow.sort((a, b) => a.event.source.lsn - b.event.source.lsn);
  const setBased = out.length > 0;
  await perEvent(client, slow, mappers, out);
  // The set-based rows went first; an event of another key that then breaks a constraint (a unique
  // value the source freed before it took it) may only have failed because of that reordering.
  if (
    setBased &&
    out.some(({ outcome }) => outcome.kind === "dead-lettered" && outcome.code?.startsWith(INTEGRITY_CONSTRAINT_CLASS))
  ) {
    await client.query(`ROLLBACK TO SAVEPOINT ${FAST_SAVEPOINT}`);
    onFallback();
    const inOrder: TableOutcome[] = [];
    await perEvent(client, events, mappers, inOrder);
    return inOrder;
  }
  return out;
}
