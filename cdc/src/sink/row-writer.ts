import type { PoolClient } from "pg";
import { SINK_SCHEMA } from "../defaults";
import type { MappedRow, RowMapper } from "../mapping/row-mapper";

/** A quoted SQL identifier. */
export const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * SQL condition: the LSN `lsn` (an SQL expression) is newer than the last truncate of the target
 * table `table` (an SQL expression); everything at or before a truncate's LSN is gone (ADR 0005).
 */
export const afterTruncate = (table: string, lsn: string): string =>
  `NOT EXISTS (SELECT 1 FROM ${SINK_SCHEMA}.table_truncations tt WHERE tt.target_table = ${table} AND tt.lsn >= ${lsn})`;

/**
 * Moves the row's stored position to `lsn` if it is newer than the position and than the table's
 * last truncate; false means the event is a duplicate or late and must not be written. The
 * caller's transaction makes position and row change together.
 */
export async function advancePosition(client: PoolClient, targetTable: string, rowKey: string, lsn: number, deleted: boolean): Promise<boolean> {
  const result = await client.query(
    `INSERT INTO ${SINK_SCHEMA}.row_positions AS p (target_table, row_key, lsn, deleted)
     SELECT $1::text, $2::text, $3::numeric, $4::boolean WHERE ${afterTruncate("$1::text", "$3::numeric")}
     ON CONFLICT (target_table, row_key) DO UPDATE SET lsn = EXCLUDED.lsn, deleted = EXCLUDED.deleted
     WHERE p.lsn < EXCLUDED.lsn
     RETURNING 1`,
    [targetTable, rowKey, String(lsn), deleted],
  );
  return result.rowCount === 1;
}

/**
 * INSERT … ON CONFLICT (key) DO UPDATE of the mapped columns only (others keep their defaults on
 * insert and their values on update), and only when a value differs: an echo is a no-op. With
 * `newerBy`, also only when the incoming row is not older than the target row (two-way conflicts).
 */
export async function upsertRow(client: PoolClient, mapper: RowMapper, row: MappedRow): Promise<void> {
  const columns = Object.keys(row.values);
  const names = [mapper.targetKey, ...columns].map(quote);
  const params = [row.key, ...columns.map((c) => row.values[c])];
  const placeholders = params.map((_, i) => `$${i + 1}`).join(", ");
  await client.query(`INSERT INTO ${quote(mapper.targetTable)} AS t (${names.join(", ")}) VALUES (${placeholders}) ${onConflictClause(mapper, columns)}`, params);
}

/**
 * The ON CONFLICT part of every upsert the sink writes (one row or a set): update only what
 * differs (an equal-value echo changes nothing, so it cannot start a loop) and, with `newerBy`,
 * only when the incoming row is not older than the target row. The target table is aliased `t`.
 */
export function onConflictClause(mapper: RowMapper, columns: readonly string[]): string {
  const conflict = `ON CONFLICT (${quote(mapper.targetKey)})`;
  if (columns.length === 0) return `${conflict} DO NOTHING`;
  const newerBy = mapper.newerBy !== undefined && columns.includes(mapper.newerBy) ? quote(mapper.newerBy) : null;
  // Equal is not older: a fix on one side that keeps updated_at must still flow.
  const notOlder = newerBy ? ` AND (t.${newerBy} IS NULL OR t.${newerBy} <= EXCLUDED.${newerBy})` : "";
  return `${conflict} DO UPDATE SET ${columns.map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`).join(", ")}
    WHERE ROW(${columns.map((c) => `t.${quote(c)}`).join(", ")}) IS DISTINCT FROM ROW(${columns.map((c) => `EXCLUDED.${quote(c)}`).join(", ")})${notOlder}`;
}

/** Deletes the row by key; deleting an absent row is fine (the position still records the delete). */
export async function deleteRow(client: PoolClient, mapper: RowMapper, key: unknown): Promise<void> {
  await client.query(`DELETE FROM ${quote(mapper.targetTable)} WHERE ${quote(mapper.targetKey)} = $1`, [key]);
}
