import type { PoolClient } from "pg";
import { SINK_SCHEMA } from "../defaults";
import type { RowMapper } from "../mapping/row-mapper";
import { targetRowKeySql } from "./row-writer";

/**
 * Applies a truncate of the mapped source table at `lsn`: records that everything of the target
 * table at or before `lsn` is gone (the guard then skips older events of any key, so a late or
 * replayed one cannot bring a row back) and deletes the target's rows, except those a later event
 * already wrote (out-of-order delivery). False when a truncate at or after `lsn` was applied already.
 */
export async function applyTruncate(client: PoolClient, mapper: RowMapper, lsn: number): Promise<boolean> {
  const recorded = await client.query(
    `INSERT INTO ${SINK_SCHEMA}.table_truncations AS tt (target_table, lsn) VALUES ($1, $2::numeric)
     ON CONFLICT (target_table) DO UPDATE SET lsn = EXCLUDED.lsn WHERE tt.lsn < EXCLUDED.lsn
     RETURNING 1`,
    [mapper.targetTable, String(lsn)],
  );
  if (recorded.rowCount !== 1) return false;
  // DELETE, not TRUNCATE: row by row in the transaction's snapshot, under the sink's origin, without an exclusive lock.
  await client.query(
    `DELETE FROM ${mapper.targetSql} AS t WHERE NOT EXISTS (
       SELECT 1 FROM ${SINK_SCHEMA}.row_positions p WHERE p.target_table = $1 AND p.row_key = ${targetRowKeySql(mapper, "t")} AND p.lsn > $2::numeric)`,
    [mapper.targetTable, String(lsn)],
  );
  return true;
}
