import { formatTableName, type TableName } from "@strangler/migration-config";
import type pg from "pg";

/** A foreign key of another table of the legacy database that points at one of the service's tables. */
export interface ReferencingForeignKey {
  /** The table that has the constraint (stays), and the constraint's name. */
  table: TableName;
  name: string;
  /** The service's table it references (goes). */
  references: TableName;
  /** pg_get_constraintdef: `FOREIGN KEY (account_id) REFERENCES accounts(id) ON DELETE CASCADE`. */
  definition: string;
}

/** What the cleanup script needs to know of the legacy database about a service's tables. */
export interface LegacyCatalog {
  /** The service's tables the database has (the others are gone already). */
  present: TableName[];
  /** Foreign keys of OTHER tables referencing them; keys among the service's own tables go with the tables. */
  foreignKeys: ReferencingForeignKey[];
  /** Views that read the tables: DROP TABLE (without CASCADE) stops on them. */
  dependentViews: TableName[];
}

interface ForeignKeyRow {
  schema: string;
  table: string;
  name: string;
  ref_schema: string;
  ref_table: string;
  definition: string;
}

/**
 * Reads the legacy catalog around a service's tables: which of them exist, the foreign keys other
 * tables hold on them, and the views that read them. Names are matched exactly (case kept).
 */
export async function readLegacyCatalog(
  client: Pick<pg.ClientBase, "query">,
  tables: readonly TableName[],
): Promise<LegacyCatalog> {
  const schemas = tables.map((t) => t.schema);
  const names = tables.map((t) => t.name);
  const wanted = `SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    JOIN unnest($1::text[], $2::text[]) AS w(schema, name) ON w.schema = n.nspname AND w.name = c.relname
                   WHERE c.relkind IN ('r', 'p')`;
  const present = await client.query<{ schema: string; table: string }>(
    `SELECT n.nspname AS schema, c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid IN (${wanted}) ORDER BY 1, 2`,
    [schemas, names],
  );
  // conparentid = 0: a partition's copy of its parent's key goes with the parent's.
  const keys = await client.query<ForeignKeyRow>(
    `SELECT sn.nspname AS schema, s.relname AS table, con.conname AS name,
            rn.nspname AS ref_schema, r.relname AS ref_table, pg_get_constraintdef(con.oid) AS definition
       FROM pg_constraint con
       JOIN pg_class s ON s.oid = con.conrelid JOIN pg_namespace sn ON sn.oid = s.relnamespace
       JOIN pg_class r ON r.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
      WHERE con.contype = 'f' AND con.conparentid = 0
        AND con.confrelid IN (${wanted}) AND con.conrelid NOT IN (${wanted})
      ORDER BY 1, 2, 3`,
    [schemas, names],
  );
  const views = await client.query<{ schema: string; table: string }>(
    `SELECT DISTINCT vn.nspname AS schema, v.relname AS table
       FROM pg_depend d JOIN pg_rewrite rw ON rw.oid = d.objid
       JOIN pg_class v ON v.oid = rw.ev_class JOIN pg_namespace vn ON vn.oid = v.relnamespace
      WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
        AND d.refobjid IN (${wanted}) AND v.oid <> d.refobjid
      ORDER BY 1, 2`,
    [schemas, names],
  );
  return {
    present: present.rows.map((row) => ({ schema: row.schema, name: row.table })),
    foreignKeys: keys.rows.map((row) => ({
      table: { schema: row.schema, name: row.table },
      name: row.name,
      references: { schema: row.ref_schema, name: row.ref_table },
      definition: row.definition,
    })),
    dependentViews: views.rows.map((row) => ({ schema: row.schema, name: row.table })),
  };
}

/** `orders.orders_account_fk`-style label of a foreign key, for the script's comments. */
export function foreignKeyLabel(key: ReferencingForeignKey): string {
  return `${formatTableName(key.table)}.${key.name}`;
}
