import { StackError } from "../errors/stack-error";
import { runCommand } from "../process/run-command";
import { type ProgressListener, silentProgress, trackStep } from "../stack/progress";
import type { DatabaseDefinition, DatabaseMigration } from "./databases";
import { appliedMigrations, localMigrations, pendingMigrations } from "./migration-status";
import { databaseUrl, quoteIdent, withPgClient } from "./pg-client";

export interface PrepareDatabasesOptions {
  progress?: ProgressListener;
  /** Mark the databases IS_TEMPLATE so tests can clone them (the jest global setup does). */
  asTemplates?: boolean;
  databases: readonly DatabaseDefinition[];
  /** The environment the migrate commands inherit (the app's run.env and DATABASE_URL go on top). */
  env?: Readonly<Record<string, string>>;
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

/**
 * Runs the app's migrate command with DATABASE_URL set. When the app folder holds Prisma migrations
 * that are all applied already, the command is skipped (the Prisma CLI is slow on two cores).
 */
async function migrate(
  url: string,
  migration: DatabaseMigration,
  database: string,
  env: Readonly<Record<string, string>>,
): Promise<string> {
  const local = localMigrations(migration.cwd);
  const pending = local === null ? null : pendingMigrations(local, await withPgClient(url, appliedMigrations));
  if (pending !== null && pending.length === 0) return "up to date";
  const [program, ...args] = migration.command;
  const shown = migration.command.join(" ");
  const result = await runCommand(program ?? "", args, {
    cwd: migration.cwd,
    env: { ...env, ...migration.env, DATABASE_URL: url },
  }).catch((error: unknown) => {
    throw new StackError(
      "STACK_MIGRATION_FAILED",
      `${migration.app}'s migrate command (${shown}) could not run in ${migration.cwd}: ${(error as Error).message}`,
    );
  });
  if (result.code !== 0) {
    throw new StackError(
      "STACK_MIGRATION_FAILED",
      `${migration.app}'s migrate command (${shown}) failed on database ${database} (in ${migration.cwd}), exit ${result.code}:\n${result.output.trimEnd()}`,
    );
  }
  return pending === null ? "migrated" : `${pending.length} migration${pending.length === 1 ? "" : "s"} applied`;
}

/**
 * Creates the given databases where missing and runs each one's migrate command, one after the
 * other (readable progress; migration tools are heavy on two cores). `adminUrl` is a superuser
 * URL; every connection is closed when this returns.
 */
export async function prepareDatabasesAt(adminUrl: string, options: PrepareDatabasesOptions): Promise<void> {
  const progress = options.progress ?? silentProgress;
  for (const database of options.databases) {
    await trackStep(progress, `db ${database.name}`, "preparing", async () => {
      const created = await ensureDatabase(adminUrl, database.name, options.asTemplates ?? false);
      const migrated = database.migrate
        ? await migrate(databaseUrl(adminUrl, database.name), database.migrate, database.name, options.env ?? {})
        : "no migrations";
      return created ? `created, ${migrated}` : migrated;
    });
  }
}
