import type { MigrationConfig } from "@strangler/migration-config";
import { configuredApps } from "../apps/configured-apps";
import { isLoopbackHost } from "../apps/loopback-host";

/** How a database is migrated: its app's `run.migrate` command, run in the app's folder with DATABASE_URL set. */
export interface DatabaseMigration {
  app: string;
  command: readonly string[];
  cwd: string;
  /** The app's `run.env`. */
  env: Readonly<Record<string, string>>;
}

/** A database the stack creates on its PostgreSQL, and how it is migrated (none: left as created). */
export interface DatabaseDefinition {
  name: string;
  migrate?: DatabaseMigration;
}

/** A database the migration config names, and whether the stack creates it. */
export interface ConfiguredDatabase {
  /** The app whose DATABASE_URL it is; TOOLKIT_DATABASE_OWNER for the toolkit's own (toolkit.database). */
  app: string;
  url: string;
  /** On the stack's PostgreSQL: created when missing (and migrated); else taken as it is. */
  kind: "created" | "external";
  /** Its name on the server (the URL's path). */
  name: string;
  migrate?: DatabaseMigration;
}

/** The `app` of the toolkit database (shadow results; the toolkit's stores create their own tables). */
export const TOOLKIT_DATABASE_OWNER = "toolkit";

/** The stack's own databases, whatever the config says. Unleash migrates its own schema when it starts. */
export const STACK_OWN_DATABASES: readonly DatabaseDefinition[] = [{ name: "unleash" }];

function portOf(url: URL): string {
  return url.port || "5432";
}

/** Whether a database URL points at the server of `serverUrl` (same port; same host, or loopback for both). */
export function isOnServer(databaseUrl: string, serverUrl: string): boolean {
  const database = new URL(databaseUrl);
  const server = new URL(serverUrl);
  if (portOf(database) !== portOf(server)) return false;
  return (
    database.hostname === server.hostname || (isLoopbackHost(database.hostname) && isLoopbackHost(server.hostname))
  );
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

/**
 * Every database of the config: its apps' (the legacy database, each service's data.database), in
 * app order, then the toolkit's (toolkit.database).
 */
export function configuredDatabases(migration: MigrationConfig, serverUrl: string): ConfiguredDatabase[] {
  const toolkit = migration.toolkit.database;
  const toolkitDatabase: ConfiguredDatabase[] =
    toolkit === undefined
      ? []
      : [
          {
            app: TOOLKIT_DATABASE_OWNER,
            url: toolkit,
            kind: isOnServer(toolkit, serverUrl) && databaseName(toolkit) !== "" ? "created" : "external",
            name: databaseName(toolkit),
          },
        ];
  return [...appDatabases(migration, serverUrl), ...toolkitDatabase];
}

function appDatabases(migration: MigrationConfig, serverUrl: string): ConfiguredDatabase[] {
  return configuredApps(migration).flatMap((app) => {
    if (app.databaseUrl === undefined) return [];
    const name = databaseName(app.databaseUrl);
    const migrate = app.run?.migrate
      ? { app: app.name, command: app.run.migrate, cwd: app.run.cwd, env: app.run.env }
      : undefined;
    const kind = isOnServer(app.databaseUrl, serverUrl) && name !== "" ? "created" : "external";
    return [{ app: app.name, url: app.databaseUrl, kind, name, ...(migrate ? { migrate } : {}) }];
  });
}

function uniqueByName(databases: readonly DatabaseDefinition[]): DatabaseDefinition[] {
  const seen = new Map<string, DatabaseDefinition>();
  for (const database of databases)
    if (!seen.has(database.name) || (database.migrate && !seen.get(database.name)?.migrate))
      seen.set(database.name, database);
  return [...seen.values()];
}

/** What `up` prepares on the stack's PostgreSQL: the config's databases that live there, then the stack's own. */
export function stackDatabases(migration: MigrationConfig, serverUrl: string): DatabaseDefinition[] {
  const created = configuredDatabases(migration, serverUrl).filter((database) => database.kind === "created");
  return uniqueByName([
    ...created.map(({ name, migrate }) => ({ name, ...(migrate ? { migrate } : {}) })),
    ...STACK_OWN_DATABASES,
  ]);
}

/**
 * The templates the jest global setup prepares for createTestDatabase(name): every database of the
 * config that has a migrate command (by name, wherever the config puts it), then the stack's own.
 */
export function templateDatabases(migration: MigrationConfig): DatabaseDefinition[] {
  const migrated = configuredDatabases(migration, "postgresql://unused.invalid:1/").filter(
    (database) => database.migrate !== undefined && database.name !== "",
  );
  return uniqueByName([
    ...migrated.map(({ name, migrate }) => ({ name, ...(migrate ? { migrate } : {}) })),
    ...STACK_OWN_DATABASES,
  ]);
}
