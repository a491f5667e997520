import { createHash } from "node:crypto";
import type { PoolClient } from "pg";
import { SINK_SCHEMA } from "../defaults";
import type { ChangeEvent } from "../envelope/debezium-envelope";
import type { MappedRow, RowMapper } from "../mapping/row-mapper";
import type { EventOutcome } from "./apply-event";
import { findUnreflected, type Unreflected } from "./reflection-check";
import { afterTruncate, quote, writtenNewerBy } from "./row-writer";
import { arrayLiteral, rowSetStatement, textRowSet, type RowSetStatement, type WrittenSource } from "./row-set-writer";
import { targetTableState, type TargetColumn, type TargetTableState } from "./target-table-state";

/** One event of a batch with its raw form, as the sink keeps them. */
export interface BatchEvent {
  event: ChangeEvent;
  raw: unknown;
}

export interface TableOutcome extends BatchEvent {
  outcome: EventOutcome;
}

/** An event mapped onto its target row. */
export interface Mapped extends BatchEvent {
  row: MappedRow;
  key: string;
  columns: string[];
}

/**
 * The stored guard position (row position or the table's last truncate, whichever is later) of the
 * keys that have more than one event in the batch: only for them do the outcomes depend on it.
 */
async function guardPositions(
  client: PoolClient,
  targetTable: string,
  keys: readonly string[],
): Promise<Map<string, number>> {
  const positions = new Map<string, number>();
  if (keys.length === 0) return positions;
  const result = await client.query<{ row_key: string; lsn: string | null }>(
    `SELECT k AS row_key, greatest(p.lsn, (SELECT tt.lsn FROM ${SINK_SCHEMA}.table_truncations tt WHERE tt.target_table = $1))::text AS lsn
     FROM unnest($2::text[]) AS k LEFT JOIN ${SINK_SCHEMA}.row_positions p ON p.target_table = $1 AND p.row_key = k`,
    [targetTable, keys],
  );
  for (const r of result.rows) if (r.lsn !== null) positions.set(r.row_key, Number(r.lsn));
  return positions;
}

/**
 * A name for a statement the sink runs once per batch: PostgreSQL parses and plans a named
 * statement once per connection (measurable at bulk rates). Named by content, so a different text
 * (another table, another column set) is another statement.
 */
const statementName = (text: string): string => `strangler_sink_${createHash("sha1").update(text).digest("hex")}`;

/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = "23505";

/** The optimistic plain INSERT of positions met a key that has one: roll back and upsert the positions instead. */
export class KnownKeysError extends Error {
  constructor() {
    super("a key of the batch already has a position");
    this.name = "KnownKeysError";
  }
}

/** What the positions statement reports: the keys it advanced (`"all"`: every candidate) and whether it wrote the rows too. */
interface PositionsResult {
  advanced: ReadonlySet<string> | "all";
  rowsWritten: boolean;
  /** When the rows were written: how many the upsert inserted or updated (fewer: some were equal, or kept by the newerBy rule). */
  writtenCount: number;
  /** When the rows were not written: the newerBy values the sink had recorded before (ADR 0005), of keys that have one. */
  previousWritten: { keys: string[]; written: string[] };
}

/**
 * Advances, in one statement, the positions of the keys whose highest LSN in the batch is newer
 * than their stored position and than the table's last truncate; returns the keys it advanced, or
 * `"all"`. One result row either way: a bulk load does not ship every key back.
 * With `state.newKeys` (the last batch had only new keys) it tries a plain INSERT, about a third
 * cheaper than INSERT … ON CONFLICT, of the positions and of the rows, and throws KnownKeysError if
 * a key has a position or a row after all.
 * `rows`, the upsert of every candidate's row, is made part of the statement and runs only if every
 * position advanced (a bulk load: one round trip for positions and rows).
 */
async function advancePositions(
  client: PoolClient,
  mapper: RowMapper,
  candidates: readonly Mapped[],
  state: TargetTableState,
  rows: RowSetStatementFactory | null,
): Promise<PositionsResult> {
  const optimistic = state.newKeys;
  // xmax = 0 marks a row the upsert inserted (not updated): decides whether the next batch tries the plain INSERT.
  const conflict = optimistic
    ? ""
    : `ON CONFLICT (target_table, row_key) DO UPDATE SET lsn = EXCLUDED.lsn, deleted = EXCLUDED.deleted, written_newer_by = EXCLUDED.written_newer_by WHERE p.lsn < EXCLUDED.lsn`;
  const written = candidates.map((c) => (c.event.op === "d" ? null : writtenNewerBy(mapper, c.row)));
  const positionParams = [
    mapper.targetTable,
    arrayLiteral(candidates.map((c) => c.key)),
    arrayLiteral(candidates.map((c) => c.event.source.lsn)),
    arrayLiteral(candidates.map((c) => c.event.op === "d")),
    arrayLiteral(written),
  ];
  // Keys new to the positions are, as a rule, new to the target too: their rows go in with a plain INSERT as well.
  const rowStatement = rows
    ? rows(positionParams.length + 1, "(SELECT complete FROM strangler_summary)", optimistic)
    : null;
  // The values recorded before (the statement's snapshot), for a row upsert in a later statement; new keys (optimistic) have none.
  const previous = mapper.newerBy !== undefined && !optimistic;
  const previousWhen = rowStatement ? "NOT complete" : "true";
  let result;
  try {
    const text = `WITH strangler_positions AS (
         INSERT INTO ${SINK_SCHEMA}.row_positions AS p (target_table, row_key, lsn, deleted, written_newer_by)
         SELECT $1, k, l, d, w FROM unnest($2::text[], $3::numeric[], $4::boolean[], $5::text[]) AS u(k, l, d, w) WHERE ${afterTruncate("$1", "u.l")}
         ${conflict}
         RETURNING row_key, p.xmax::text = '0' AS inserted),
       strangler_summary AS (SELECT count(*) = cardinality($2::text[]) AS complete, coalesce(bool_and(inserted), true) AS inserted,
         CASE WHEN count(*) < cardinality($2::text[]) THEN coalesce(array_agg(row_key), ARRAY[]::text[]) END AS keys FROM strangler_positions)
       ${rowStatement ? `, strangler_rows AS (${rowStatement.text})` : ""}
       ${previous ? `, strangler_previous AS (SELECT row_key, written_newer_by FROM ${SINK_SCHEMA}.row_positions WHERE target_table = $1 AND row_key = ANY($2::text[]) AND written_newer_by IS NOT NULL)` : ""}
       SELECT keys, complete AND inserted AS inserted, complete${rowStatement ? ", (SELECT count(*) FROM strangler_rows)::int AS written_count" : ""}
         ${previous ? `, CASE WHEN ${previousWhen} THEN (SELECT coalesce(array_agg(row_key), ARRAY[]::text[]) FROM strangler_previous) END AS previous_keys, CASE WHEN ${previousWhen} THEN (SELECT coalesce(array_agg(written_newer_by), ARRAY[]::text[]) FROM strangler_previous) END AS previous_written` : ""}
       FROM strangler_summary`;
    result = await client.query<{
      keys: string[] | null;
      inserted: boolean;
      complete: boolean;
      written_count?: number;
      previous_keys?: string[] | null;
      previous_written?: string[] | null;
    }>({
      name: statementName(text),
      text,
      values: rowStatement ? [...positionParams, ...rowStatement.values] : positionParams,
    });
  } catch (error) {
    // A key with a position after all, or a row already in the target (written by someone else):
    // again with the upserts. A duplicate value of the event's own (an email) fails that again and
    // goes event by event.
    const { code, table } = error as { code?: string; table?: string };
    if (
      optimistic &&
      code === UNIQUE_VIOLATION &&
      (table === "row_positions" || (rowStatement !== null && table === mapper.targetTable))
    ) {
      state.newKeys = false;
      throw new KnownKeysError();
    }
    throw error;
  }
  const row = result.rows[0];
  state.newKeys = row?.inserted ?? false;
  return {
    advanced: row?.keys ? new Set(row.keys) : "all",
    rowsWritten: rowStatement !== null && (row?.complete ?? false),
    writtenCount: row?.written_count ?? 0,
    previousWritten: { keys: row?.previous_keys ?? [], written: row?.previous_written ?? [] },
  };
}

/** Builds a row statement whose parameters start at `firstParam` and that writes only if `onlyIf` holds; `insertOnly`: a plain INSERT. */
type RowSetStatementFactory = (firstParam: number, onlyIf: string, insertOnly: boolean) => RowSetStatement;

interface Final {
  item: Mapped;
  /** An applied delete of the key came before `item` in the batch. */
  deletedBefore: boolean;
}

/**
 * The set-based fast path for one target table: advances the positions of all keys in one
 * statement (reading the stored ones first only for the `repeated` keys, those with several
 * events), then deletes and upserts (grouped by column set) the rows whose position advanced.
 * Returns the outcomes of `fast`; throws KnownKeysError (the caller rolls back to its savepoint and
 * calls again) or, when a statement fails or positions moved concurrently, another error (the
 * caller rolls back to its savepoint and goes event by event).
 */
export async function applySetBased(
  client: PoolClient,
  mapper: RowMapper,
  fast: readonly Mapped[],
  repeated: ReadonlySet<string>,
): Promise<TableOutcome[]> {
  let candidates: readonly Mapped[] = fast;
  if (repeated.size > 0) {
    // Per key, the event that ends up applied if any: the first with the highest LSN (equal LSNs after it are not newer).
    const last = new Map<string, Mapped>();
    for (const item of fast) {
      const seen = last.get(item.key);
      if (!seen || item.event.source.lsn > seen.event.source.lsn) last.set(item.key, item);
    }
    candidates = [...last.values()];
  }
  const state = await targetTableState(client, mapper);
  const { columns } = state;
  // Read before the write: the stored positions of keys with several events decide which of them apply.
  const running = await guardPositions(client, mapper.targetTable, [...repeated]);
  // A bulk load (one upsert per key, one column set): the rows go into the positions statement.
  const groups = repeated.size === 0 && fast.every((item) => item.event.op !== "d") ? upsertGroups(fast) : [];
  const bulk = groups.length === 1 ? (groups[0] as UpsertGroup) : null;
  // In the positions statement, row_positions still shows (its snapshot) the newerBy values recorded before.
  const rows: RowSetStatementFactory | null = bulk
    ? (firstParam, onlyIf, insertOnly) =>
        rowSetStatement(
          mapper,
          columns,
          bulk.columns,
          bulk.rows,
          firstParam,
          onlyIf,
          insertOnly ? "insert-only" : "positions",
        )
    : null;
  const {
    advanced: advancedKeys,
    rowsWritten,
    writtenCount,
    previousWritten,
  } = await advancePositions(client, mapper, candidates, state, rows);
  const advanced = {
    size: advancedKeys === "all" ? candidates.length : advancedKeys.size,
    has: (key: string) => advancedKeys === "all" || advancedKeys.has(key),
  };

  const outcomes: TableOutcome[] = [];
  const finals: Final[] = [];
  const repeatedFinals = new Map<string, Final>();
  for (const item of fast) {
    const { event, raw, key } = item;
    if (!repeated.has(key)) {
      // A key's only event: applied exactly when its position advanced.
      const applied = advanced.has(key);
      outcomes.push({ event, raw, outcome: { kind: applied ? "applied" : "skipped", rowKey: key } });
      if (applied) finals.push({ item, deletedBefore: false });
      continue;
    }
    const position = running.get(key);
    if (position !== undefined && !(event.source.lsn > position)) {
      outcomes.push({ event, raw, outcome: { kind: "skipped", rowKey: key } });
      continue;
    }
    running.set(key, event.source.lsn);
    // Superseded events count as applied, as they would be one by one (each one advanced the position).
    outcomes.push({ event, raw, outcome: { kind: "applied", rowKey: key } });
    const previous = repeatedFinals.get(key);
    repeatedFinals.set(key, {
      item,
      deletedBefore: (previous?.deletedBefore ?? false) || previous?.item.event.op === "d",
    });
  }
  for (const [key, final] of repeatedFinals) {
    // A concurrent writer moved a position between the read and the write: let the per-event path decide.
    if (!advanced.has(key)) throw new Error("row positions changed concurrently");
    finals.push(final);
  }
  if (advanced.size !== finals.length) throw new Error("row positions changed concurrently");
  let unreflected: Unreflected[] = [];
  if (rowsWritten) {
    if (bulk && writtenCount < bulk.rows.length)
      unreflected = await findUnreflected(client, mapper, columns, bulk.columns, bulk.rows);
  } else if (finals.length > 0) {
    unreflected = await writeRows(client, mapper, columns, finals, previousWritten);
  }
  if (unreflected.length > 0) recordUnreflected(outcomes, finals, unreflected);
  return outcomes;
}

/**
 * The final event of each key the target does not reflect becomes a conflict or a dead letter (its
 * position stays advanced, so a replay is skipped, not judged again).
 */
function recordUnreflected(
  outcomes: TableOutcome[],
  finals: readonly Final[],
  unreflected: readonly Unreflected[],
): void {
  const byKey = new Map(unreflected.map((u) => [u.key, u]));
  const finalEvents = new Map(
    finals.filter((f) => byKey.has(f.item.key)).map((f) => [f.item.event, byKey.get(f.item.key) as Unreflected]),
  );
  for (let i = 0; i < outcomes.length; i++) {
    const entry = outcomes[i] as TableOutcome;
    const found = finalEvents.get(entry.event);
    if (found)
      outcomes[i] = {
        ...entry,
        outcome: {
          kind: found.cause === "conflict" ? "conflict" : "dead-lettered",
          rowKey: found.key,
          reason: found.reason,
        },
      };
  }
}

const sameColumns = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((c, i) => c === b[i]);

interface UpsertGroup {
  columns: string[];
  rows: MappedRow[];
}

/** The rows of `items` grouped by the columns they set (one group in the usual case). */
function upsertGroups(items: readonly Mapped[]): UpsertGroup[] {
  const groups: UpsertGroup[] = [];
  for (const item of items) {
    const group = groups.find((g) => sameColumns(g.columns, item.columns));
    if (group) group.rows.push(item.row);
    else groups.push({ columns: item.columns, rows: [item.row] });
  }
  return groups;
}

/**
 * Deletes the rows whose last applied event is a delete or follows one, then upserts the last image
 * of the others; returns the upserted rows the target does not reflect (findUnreflected).
 */
async function writeRows(
  client: PoolClient,
  mapper: RowMapper,
  columns: ReadonlyMap<string, TargetColumn>,
  finals: readonly Final[],
  previousWritten: WrittenSource,
): Promise<Unreflected[]> {
  const deletes = finals.filter((f) => f.item.event.op === "d" || f.deletedBefore).map((f) => f.item.row);
  if (deletes.length > 0) {
    const set = textRowSet(mapper, columns, [], deletes, 1);
    const key = mapper.targetKeys.map(quote).join(", ");
    await client.query(
      `DELETE FROM ${mapper.targetSql} WHERE (${key}) IN (SELECT ${set.keys.join(", ")} FROM ${set.from})`,
      set.values,
    );
  }
  const upserts = finals.filter((f) => f.item.event.op !== "d").map((f) => f.item);
  const unreflected: Unreflected[] = [];
  for (const { columns: names, rows } of upsertGroups(upserts)) {
    const statement = rowSetStatement(mapper, columns, names, rows, 1, "true", previousWritten);
    const text = `WITH strangler_rows AS (${statement.text}) SELECT count(*)::int AS written FROM strangler_rows`;
    const result = await client.query<{ written: number }>({
      name: statementName(text),
      text,
      values: statement.values,
    });
    if ((result.rows[0]?.written ?? 0) < rows.length)
      unreflected.push(...(await findUnreflected(client, mapper, columns, names, rows)));
  }
  return unreflected;
}
