import type { PoolClient } from "pg";

/** One ordered migration of a store's schema: it runs once, and an entry never changes once released. */
export interface SchemaMigration {
  version: number;
  sql: string;
}

/**
 * Creates a store's schema or brings it up to date, idempotently: safe to run from several processes
 * at once (the advisory lock `lock` serialises them) and on every start. The versions applied are
 * recorded in `<schema>.schema_version`. Returns the schema version now in place.
 */
export async function applySchemaMigrations(
  client: PoolClient,
  schema: string,
  lock: string | number,
  migrations: readonly SchemaMigration[],
): Promise<number> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [lock]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_version (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const current = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${schema}.schema_version`,
    );
    let version = current.rows[0]?.version ?? 0;
    for (const migration of migrations) {
      if (migration.version <= version) continue;
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${schema}.schema_version (version) VALUES ($1)`, [migration.version]);
      version = migration.version;
    }
    await client.query("COMMIT");
    return version;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
