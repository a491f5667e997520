import fs from "node:fs";
import path from "node:path";
import type pg from "pg";

/** Migration folder names of an app, oldest first; null when the app has no Prisma schema. */
export function localMigrations(appDir: string): string[] | null {
  if (!fs.existsSync(path.join(appDir, "prisma", "schema.prisma"))) return null;
  const dir = path.join(appDir, "prisma", "migrations");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort();
}

/** Names of the migrations Prisma recorded as applied (none when the table does not exist yet). */
export async function appliedMigrations(client: pg.Client): Promise<Set<string>> {
  const table = await client.query<{ exists: boolean }>(
    `SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS exists`,
  );
  if (!table.rows[0]?.exists) return new Set();
  const rows = await client.query<{ migration_name: string }>(
    `SELECT migration_name FROM public._prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  return new Set(rows.rows.map((row) => row.migration_name));
}

/** Local migrations not applied yet, in order. */
export function pendingMigrations(local: readonly string[], applied: ReadonlySet<string>): string[] {
  return local.filter((name) => !applied.has(name));
}
