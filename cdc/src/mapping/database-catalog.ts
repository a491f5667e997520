import type { ClientBase } from "pg";

/** One table of a database as its catalog has it. */
export interface CatalogTable {
  schema: string;
  name: string;
  /** Column names in table order, with whether each is NOT NULL. */
  columns: ReadonlyArray<{ name: string; notNull: boolean }>;
  /** The primary key's columns, in key order; null without one. */
  primaryKey: readonly string[] | null;
  /** The columns of each unique index (not partial, no expressions), in index order, the primary key's included. */
  uniqueKeys: ReadonlyArray<readonly string[]>;
}

/** The user tables of one database (`label` names it in errors, e.g. "the legacy database"). */
export interface DatabaseCatalog {
  label: string;
  tables: readonly CatalogTable[];
}

/** Reads the tables (ordinary and partitioned) of every schema but PostgreSQL's own. */
export async function readDatabaseCatalog(client: Pick<ClientBase, "query">, label: string): Promise<DatabaseCatalog> {
  const tables = await client.query<{ oid: number; schema: string; name: string }>(
    `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'`,
  );
  const columns = await client.query<{ rel: number; name: string; not_null: boolean }>(
    `SELECT a.attrelid::int AS rel, a.attname AS name, a.attnotnull AS not_null FROM pg_attribute a
     WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum`,
    [tables.rows.map((t) => t.oid)],
  );
  // Key columns only (an index's INCLUDE columns come after indnkeyatts).
  const indexes = await client.query<{ rel: number; primary: boolean; columns: string[] }>(
    `SELECT i.indrelid::int AS rel, i.indisprimary AS primary,
       ARRAY(SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE k.ord <= i.indnkeyatts ORDER BY k.ord)::text[] AS columns
     FROM pg_index i WHERE i.indrelid = ANY($1::oid[]) AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
     ORDER BY i.indrelid, i.indisprimary DESC, i.indexrelid`,
    [tables.rows.map((t) => t.oid)],
  );
  return {
    label,
    tables: tables.rows.map((table) => {
      const own = indexes.rows.filter((index) => index.rel === table.oid);
      return {
        schema: table.schema,
        name: table.name,
        columns: columns.rows.filter((c) => c.rel === table.oid).map((c) => ({ name: c.name, notNull: c.not_null })),
        primaryKey: own.find((index) => index.primary)?.columns ?? null,
        uniqueKeys: own.map((index) => index.columns),
      };
    }),
  };
}
