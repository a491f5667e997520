import type { StackConfig } from "../config/stack-config";
import { loadStackMigrationConfig } from "../config/migration-config-env";
import { configuredDatabases } from "./databases";
import { redactUrl, withPgClient } from "./pg-client";
import { adminDatabaseUrl } from "./postgres-server-url";

/** One database the migration config names, as `status` shows it. */
export interface DatabaseStatus {
  /** The app whose DATABASE_URL it is. */
  app: string;
  name: string;
  /** Password redacted. */
  url: string;
  /** "created": on the stack's PostgreSQL, created (and migrated) by `up`; "external": taken as it is. */
  kind: "created" | "external";
  /** Whether a created database exists now; null when external or the server does not answer. */
  exists: boolean | null;
  migrated: boolean;
}

/** The config's databases with their kind, and whether the created ones exist; none when the config does not load. */
export async function databaseStatuses(config: StackConfig): Promise<DatabaseStatus[]> {
  const adminUrl = adminDatabaseUrl(config);
  let databases;
  try {
    databases = configuredDatabases(loadStackMigrationConfig(config), adminUrl);
  } catch {
    return [];
  }
  const names = databases.filter((database) => database.kind === "created").map((database) => database.name);
  const existing = await withPgClient(adminUrl, async (client) => {
    const rows = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname = ANY($1)", [
      names,
    ]);
    return new Set(rows.rows.map((row) => row.datname));
  }).catch(() => null);
  return databases.map((database) => ({
    app: database.app,
    name: database.name,
    url: redactUrl(database.url),
    kind: database.kind,
    exists: database.kind === "created" && existing !== null ? existing.has(database.name) : null,
    migrated: database.migrate !== undefined,
  }));
}
