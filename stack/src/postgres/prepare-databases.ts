import path from "node:path";
import { runPrismaCli } from "@strangler/prisma-offline";
import { StackError } from "../errors/stack-error";
import { type ProgressListener, silentProgress, trackStep } from "../stack/progress";
import { type DatabaseDefinition, DATABASES } from "./databases";
import { appliedMigrations, localMigrations, pendingMigrations } from "./migration-status";
import { databaseUrl, quoteIdent, withPgClient } from "./pg-client";

export interface PrepareDatabasesOptions {
  progress?: ProgressListener;
  /** Mark the databases IS_TEMPLATE so tests can clone them (the jest global setup does). */
  asTemplates?: boolean;
  databases?: readonly DatabaseDefinition[];
}

async function ensureDatabase(adminUrl: string, name: string, asTemplate: boolean): Promise<boolean> {
  return withPgClient(adminUrl, async (client) => {
    const found = await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    const created = found.rowCount === 0;
    if (created) await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    if (asTemplate) await client.query(`ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE true`);
    return created;
  });
}

async function migrate(url: string, appDir: string, database: string): Promise<string> {
  const local = localMigrations(appDir);
  if (local === null) return `no Prisma schema in ${appDir}, nothing to migrate`;
  const pending = pendingMigrations(local, await withPgClient(url, appliedMigrations));
  if (pending.length === 0) return "up to date";
  const result = await runPrismaCli(appDir, ["migrate", "deploy"], { DATABASE_URL: url });
  if (result.code !== 0) {
    throw new StackError(
      "STACK_MIGRATION_FAILED",
      `prisma migrate deploy failed on database ${database} (${appDir}), exit ${result.code}:\n${result.output.trimEnd()}`,
    );
  }
  return `${pending.length} migration${pending.length === 1 ? "" : "s"} applied`;
}

/**
 * Creates the stack's databases where missing and applies pending Prisma migrations to each, one
 * after the other (readable progress; the Prisma CLI is heavy on two cores). `adminUrl` is a
 * superuser URL; every connection is closed when this returns.
 */
export async function prepareDatabasesAt(adminUrl: string, repoRoot: string, options: PrepareDatabasesOptions = {}): Promise<void> {
  const progress = options.progress ?? silentProgress;
  for (const database of options.databases ?? DATABASES) {
    await trackStep(progress, `db ${database.name}`, "preparing", async () => {
      const created = await ensureDatabase(adminUrl, database.name, options.asTemplates ?? false);
      const migrated = database.migrationsFrom
        ? await migrate(databaseUrl(adminUrl, database.name), path.join(repoRoot, database.migrationsFrom), database.name)
        : "no migrations";
      return created ? `created, ${migrated}` : migrated;
    });
  }
}
