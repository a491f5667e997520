import type { ClientBase } from "pg";

/** A column's type as the table plan needs it. */
export interface ColumnType {
  /** format_type: `integer`, `numeric(12,2)`, `character varying(80)`, `"Mood"`. */
  type: string;
  /** A type of PostgreSQL's own (pg_catalog), so the same name means the same type in any database. */
  builtin: boolean;
}

/** The column types of one table (`"schema"."name"` as SQL), by column name. */
export async function readColumnTypes(
  client: Pick<ClientBase, "query">,
  tableSql: string,
): Promise<Map<string, ColumnType>> {
  const result = await client.query<{ name: string; type: string; builtin: boolean }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            (t.typnamespace = 'pg_catalog'::regnamespace AND (et.oid IS NULL OR et.typnamespace = 'pg_catalog'::regnamespace)) AS builtin
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
    [tableSql],
  );
  return new Map(result.rows.map((row) => [row.name, { type: row.type, builtin: row.builtin }]));
}

/**
 * The type a legacy value is read as so its text is what the sink would store in the service
 * column: the sink writes PostgreSQL text into the column, i.e. through the type's input function
 * with its modifier (numeric(12,2) rounds). Length-limited strings lose the limit: an explicit cast
 * would cut a long value silently, while the sink's write of it fails (and the row differs).
 */
export function readAsType(column: ColumnType): string {
  return column.type
    .replace(/^character varying\(\d+\)/, "character varying")
    .replace(/^character\(\d+\)/, "bpchar")
    .replace(/^bit varying\(\d+\)/, "bit varying");
}
