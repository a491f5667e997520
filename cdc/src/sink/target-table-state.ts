import type { PoolClient } from "pg";
import type { RowMapper } from "../mapping/row-mapper";
import { quote } from "./row-writer";

/** What the sink learned about one target table on one connection. */
export interface TargetTableState {
  /** Column → its array type as SQL (`uuid[]`), scalar columns only (see rowSetStatement). */
  readonly arrayTypes: ReadonlyMap<string, string>;
  /**
   * The last set-based batch brought only keys without a position (a bulk load): try the next one
   * with a plain INSERT of the positions, which is cheaper than INSERT … ON CONFLICT.
   */
  newKeys: boolean;
}

const states = new WeakMap<PoolClient, Map<string, TargetTableState>>();

/** The table's state on this connection; the column types are read once. */
export async function targetTableState(client: PoolClient, table: string): Promise<TargetTableState> {
  let tables = states.get(client);
  if (!tables) {
    tables = new Map();
    states.set(client, tables);
  }
  const known = tables.get(table);
  if (known) return known;
  // Left out (their rows go through jsonb_populate_recordset): array types, as a JS array in a typed
  // array parameter would become a second dimension, and json/jsonb (also under a domain), where
  // the text of a JSON string value would be parsed as JSON instead of stored as a JSON string.
  const result = await client.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) || '[]' AS type
     FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped AND t.typcategory <> 'A' AND a.attndims = 0
       AND NOT ('json'::regtype IN (t.oid, t.typbasetype) OR 'jsonb'::regtype IN (t.oid, t.typbasetype))`,
    [quote(table)],
  );
  const state: TargetTableState = { arrayTypes: new Map(result.rows.map((r) => [r.name, r.type])), newKeys: true };
  tables.set(table, state);
  return state;
}

/** Forgets what was learned about `table` on this connection (after a failed statement: the table may have changed). */
export function forgetTargetTable(client: PoolClient, table: string): void {
  states.get(client)?.delete(table);
}

/** The SQL type of the mapping's newerBy column (`timestamp(3) with time zone`), undefined when unknown or not scalar. */
export async function newerByType(client: PoolClient, mapper: RowMapper): Promise<string | undefined> {
  if (mapper.newerBy === undefined) return undefined;
  return (await targetTableState(client, mapper.targetTable)).arrayTypes.get(mapper.newerBy)?.slice(0, -2);
}
