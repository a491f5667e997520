import type { PoolClient } from "pg";
import type { RowMapper } from "../mapping/row-mapper";

/** A target column as the sink writes and compares it. */
export interface TargetColumn {
  /** Its SQL type (`timestamp(3) with time zone`, `integer[]`): values travel as text and are cast to it. */
  type: string;
  /**
   * Compared by its text form: the type (or its array element) has no equality operator of its own
   * (json, xml, points; an enum or varchar, which borrow one), or its equality is looser than its
   * value (float -0 = 0, numeric 1.0 = 1.00, interval '1 day' = '24 hours', citext): a change
   * between such values is still a change to copy.
   */
  compareAsText: boolean;
}

/** What the sink learned about one target table on one connection. */
export interface TargetTableState {
  readonly columns: ReadonlyMap<string, TargetColumn>;
  /**
   * The last set-based batch brought only keys without a position (a bulk load): try the next one
   * with a plain INSERT of the positions, which is cheaper than INSERT … ON CONFLICT.
   */
  newKeys: boolean;
}

const states = new WeakMap<PoolClient, Map<string, TargetTableState>>();

/** The table's state on this connection; the column types are read once. */
export async function targetTableState(
  client: PoolClient,
  mapper: Pick<RowMapper, "targetTable" | "targetSql">,
): Promise<TargetTableState> {
  const table = mapper.targetTable;
  let tables = states.get(client);
  if (!tables) {
    tables = new Map();
    states.set(client, tables);
  }
  const known = tables.get(table);
  if (known) return known;
  // The element type of an array column, behind a domain, decides how it compares.
  const result = await client.query<{ name: string; type: string; compare_as_text: boolean }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
       (e.typname IN ('float4', 'float8', 'numeric', 'interval', 'citext')
         OR NOT EXISTS (SELECT 1 FROM pg_operator o WHERE o.oprname = '=' AND o.oprleft = e.oid AND o.oprright = e.oid)) AS compare_as_text
     FROM pg_attribute a
     JOIN pg_type t ON t.oid = a.atttypid
     JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
     JOIN pg_type e ON e.oid = CASE WHEN b.typcategory = 'A' THEN b.typelem ELSE b.oid END
     WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
    [mapper.targetSql],
  );
  const columns = new Map(result.rows.map((r) => [r.name, { type: r.type, compareAsText: r.compare_as_text }]));
  const state: TargetTableState = { columns, newKeys: true };
  tables.set(table, state);
  return state;
}

/** Forgets what was learned about `table` on this connection (after a failed statement: the table may have changed). */
export function forgetTargetTable(client: PoolClient, table: string): void {
  states.get(client)?.delete(table);
}

/** The SQL type of the mapping's newerBy column (`timestamp(3) with time zone`), undefined when unknown. */
export async function newerByType(client: PoolClient, mapper: RowMapper): Promise<string | undefined> {
  if (mapper.newerBy === undefined) return undefined;
  return (await targetTableState(client, mapper)).columns.get(mapper.newerBy)?.type;
}

/**
 * True when a foreign key links two of the target tables (`tables`: as SQL, `"schema"."name"`): then their events must be applied in
 * source order across tables (a parent's delete cascading into a child written later, say), not
 * grouped per table.
 */
export async function targetTablesLinked(client: PoolClient, tables: readonly string[]): Promise<boolean> {
  if (tables.length < 2) return false;
  const result = await client.query(
    `SELECT 1 FROM pg_constraint c
     WHERE c.contype = 'f' AND c.conrelid <> c.confrelid
       AND c.conrelid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) AS t) AND c.confrelid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) AS t)
     LIMIT 1`,
    [tables],
  );
  return (result.rowCount ?? 0) > 0;
}
