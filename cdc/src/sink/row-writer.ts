import type { PoolClient } from "pg";
import { SINK_SCHEMA } from "../defaults";
import type { MappedRow, RowMapper } from "../mapping/row-mapper";
import { toPgText } from "../mapping/pg-text";
import { rowKeySql } from "../mapping/row-key";
import type { TargetColumn } from "./target-table-state";

/** A quoted SQL identifier. */
export const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * SQL condition: the LSN `lsn` (an SQL expression) is newer than the last truncate of the target
 * table `table` (an SQL expression); everything at or before a truncate's LSN is gone (ADR 0005).
 * The truncate's LSN is an uncorrelated subquery: PostgreSQL reads it once per statement, not per row.
 */
export const afterTruncate = (table: string, lsn: string): string =>
  `${lsn} > coalesce((SELECT tt.lsn FROM ${SINK_SCHEMA}.table_truncations tt WHERE tt.target_table = ${table}), -1)`;

/** The result of advancing a row's position. */
export interface Advance {
  /** The position moved: the event is newer and must be written. */
  applied: boolean;
  /** The newerBy value the sink recorded for the row before this event (ADR 0005), if any. */
  previousWritten: string | null;
}

/**
 * Moves the row's stored position to `lsn` if it is newer than the position and than the table's
 * last truncate, recording `written` as the newerBy value the sink writes (null for a delete);
 * `applied: false` means the event is a duplicate or late and must not be written. The caller's
 * transaction makes position and row change together.
 */
export async function advancePosition(
  client: PoolClient,
  targetTable: string,
  rowKey: string,
  lsn: number,
  deleted: boolean,
  written: string | null,
): Promise<Advance> {
  // The CTE reads the statement's snapshot: the value recorded before this event.
  const result = await client.query<{ previous: string | null }>(
    `WITH previous AS (SELECT written_newer_by FROM ${SINK_SCHEMA}.row_positions WHERE target_table = $1::text AND row_key = $2::text)
     INSERT INTO ${SINK_SCHEMA}.row_positions AS p (target_table, row_key, lsn, deleted, written_newer_by)
     SELECT $1::text, $2::text, $3::numeric, $4::boolean, $5::text WHERE ${afterTruncate("$1::text", "$3::numeric")}
     ON CONFLICT (target_table, row_key) DO UPDATE SET lsn = EXCLUDED.lsn, deleted = EXCLUDED.deleted, written_newer_by = EXCLUDED.written_newer_by
     WHERE p.lsn < EXCLUDED.lsn
     RETURNING (SELECT written_newer_by FROM previous) AS previous`,
    [targetTable, rowKey, String(lsn), deleted, written],
  );
  return { applied: result.rowCount === 1, previousWritten: result.rows[0]?.previous ?? null };
}

/**
 * The newerBy value of `row` in its text form, as the sink records it in
 * `row_positions.written_newer_by` (any value PostgreSQL can hold: `infinity`, a BC date), or null
 * (no newerBy, a delete, a null value: the conflict rule decides).
 */
export function writtenNewerBy(mapper: RowMapper, row: MappedRow): string | null {
  if (mapper.newerBy === undefined) return null;
  const value = row.values[mapper.newerBy];
  return typeof value === "object" && !(value instanceof Date) ? null : toPgText(value);
}

/**
 * How an upsert learns, for the target row `t`, the newerBy value this sink last wrote to it: an
 * SQL expression of type text (null: not written by the sink) and the newerBy column's SQL type to
 * compare it as (unknown: compared as text).
 */
export interface WrittenByUs {
  expression: string;
  type: string | undefined;
}

/**
 * INSERT … ON CONFLICT (key) DO UPDATE of the mapped columns only (others keep their defaults on
 * insert and their values on update), and only when a value differs: an echo is a no-op. With
 * `newerBy`, also only when the target row is unchanged since the sink wrote `previousWritten` to
 * it or the incoming row is not older (two-way conflicts). Values go as text (toPgText). Returns
 * whether a row was inserted or updated (false: equal already, or the newerBy rule kept the target's).
 */
export async function upsertRow(
  client: PoolClient,
  mapper: RowMapper,
  row: MappedRow,
  previousWritten: string | null,
  columns: ReadonlyMap<string, TargetColumn>,
): Promise<boolean> {
  const names = Object.keys(row.values);
  const targetNames = [...mapper.targetKeys, ...names].map(quote);
  const params: unknown[] = [...row.key.map(toPgText), ...names.map((c) => toPgText(row.values[c]))];
  const placeholders = params.map((_, i) => `$${i + 1}`).join(", ");
  let written: WrittenByUs | null = null;
  if (previousWritten !== null) {
    params.push(previousWritten);
    written = {
      expression: `$${params.length}::text`,
      type: mapper.newerBy === undefined ? undefined : columns.get(mapper.newerBy)?.type,
    };
  }
  const result = await client.query(
    `INSERT INTO ${mapper.targetSql} AS t (${targetNames.join(", ")}) VALUES (${placeholders}) ${onConflictClause(mapper, names, columns, written)}`,
    params,
  );
  return result.rowCount === 1;
}

/** `expression` as compared for equality: by its text form for a type without an equality operator (json, xml, …). */
export function comparable(expression: string, column: TargetColumn | undefined): string {
  return column?.compareAsText ? `(${expression})::text` : expression;
}

/**
 * The ON CONFLICT part of every upsert the sink writes (one row or a set): update only what
 * differs (an equal-value echo changes nothing, so it cannot start a loop) and, with `newerBy`,
 * only when the target row still has the newerBy value the sink last wrote (`written`: nobody else
 * changed it, so source order wins) or the incoming row is not older than the target row (a
 * conflict: the later newerBy wins). The target table is aliased `t`.
 */
export function onConflictClause(
  mapper: RowMapper,
  names: readonly string[],
  columns: ReadonlyMap<string, TargetColumn>,
  written: WrittenByUs | null = null,
): string {
  const conflict = `ON CONFLICT (${mapper.targetKeys.map(quote).join(", ")})`;
  if (names.length === 0) return `${conflict} DO NOTHING`;
  const newerBy = mapper.newerBy !== undefined && names.includes(mapper.newerBy) ? quote(mapper.newerBy) : null;
  let guard = "";
  if (newerBy) {
    const ours = written
      ? ` OR ${written.type ? `t.${newerBy} = CAST(${written.expression} AS ${written.type})` : `t.${newerBy}::text = ${written.expression}`}`
      : "";
    // Equal is not older: a fix on one side that keeps updated_at must still flow.
    guard = ` AND (t.${newerBy} IS NULL OR t.${newerBy} <= EXCLUDED.${newerBy}${ours})`;
  }
  const side = (prefix: string) => names.map((c) => comparable(`${prefix}.${quote(c)}`, columns.get(c))).join(", ");
  return `${conflict} DO UPDATE SET ${names.map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`).join(", ")}
    WHERE ROW(${side("t")}) IS DISTINCT FROM ROW(${side("EXCLUDED")})${guard}`;
}

/** SQL: the target key columns of `alias` equal the parameters from `$first` on (one per key column). */
export function keyEquals(mapper: RowMapper, first: number, alias = ""): string {
  const prefix = alias ? `${alias}.` : "";
  return mapper.targetKeys.map((column, i) => `${prefix}${quote(column)} = $${first + i}`).join(" AND ");
}

/** SQL: the row key text (encodeRowKey) of the target row aliased `alias`. */
export function targetRowKeySql(mapper: RowMapper, alias: string): string {
  return rowKeySql(mapper.targetKeys.map((column) => `${alias}.${quote(column)}`));
}

/** Deletes the row by key; deleting an absent row is fine (the position still records the delete). */
export async function deleteRow(client: PoolClient, mapper: RowMapper, key: readonly unknown[]): Promise<void> {
  await client.query(`DELETE FROM ${mapper.targetSql} WHERE ${keyEquals(mapper, 1)}`, key.map(toPgText));
}
