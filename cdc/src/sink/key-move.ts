import type { PoolClient } from "pg";
import { SINK_SCHEMA } from "../defaults";
import type { RowMapper } from "../mapping/row-mapper";
import { toPgText } from "../mapping/pg-text";
import { encodeRowKey } from "../mapping/row-key";
import { deleteRow, keyEquals, quote } from "./row-writer";

/**
 * The delete half of a primary-key change (Debezium sends one as a delete of the old key marked with
 * the new one, then a create of the new key; the embedded source, as one update, which the sink
 * splits alike): moves the target row from `oldKey` to `newKey` with an UPDATE of its key, so
 * foreign keys with ON UPDATE CASCADE in the target follow it, a unique column keeps its value
 * until the create half changes it, and nothing of the old key stays behind. The create half
 * (same LSN) then writes the new row's values. The caller already advanced the old key's position;
 * `previousWritten` is the newerBy value the sink had last written to the old key (ADR 0005).
 *
 * The row is deleted instead when the new key is taken in the target or already at or past `lsn`
 * (a replay after later changes of that key): the create half decides that row.
 */
export async function applyKeyMove(
  client: PoolClient,
  mapper: RowMapper,
  oldKey: readonly unknown[],
  newKey: readonly unknown[],
  lsn: number,
  previousWritten: string | null,
): Promise<void> {
  const table = mapper.targetSql;
  const n = mapper.targetKeys.length;
  // Parameters: $1 table name, $2 new key text, $3 lsn, then the old key's columns, then the new key's.
  const set = mapper.targetKeys.map((column, i) => `${quote(column)} = $${4 + n + i}`).join(", ");
  const moved = await client.query(
    `UPDATE ${table} SET ${set} WHERE ${keyEquals(mapper, 4)}
       AND NOT EXISTS (SELECT 1 FROM ${table} WHERE ${keyEquals(mapper, 4 + n)})
       AND NOT EXISTS (SELECT 1 FROM ${SINK_SCHEMA}.row_positions p WHERE p.target_table = $1 AND p.row_key = $2 AND p.lsn >= $3::numeric)`,
    [mapper.targetTable, encodeRowKey(newKey), String(lsn), ...oldKey.map(toPgText), ...newKey.map(toPgText)],
  );
  if (moved.rowCount === 0) {
    await deleteRow(client, mapper, oldKey);
    return;
  }
  // The moved row still holds what the sink last wrote to the old key: the new key's position says
  // so (without taking a position of its own), so the create half is not mistaken for a conflict.
  await client.query(
    `INSERT INTO ${SINK_SCHEMA}.row_positions AS p (target_table, row_key, lsn, deleted, written_newer_by) VALUES ($1, $2, 0, false, $3)
     ON CONFLICT (target_table, row_key) DO UPDATE SET written_newer_by = EXCLUDED.written_newer_by`,
    [mapper.targetTable, encodeRowKey(newKey), previousWritten],
  );
}
