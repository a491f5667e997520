import path from "node:path";
import type { StackConfig } from "../config/stack-config";
import { databaseUrl } from "../postgres/pg-client";
import { adminDatabaseUrl } from "../postgres/postgres-server-url";
import { httpBaseUrl } from "./http-probe";
import type { NodeAppDefinition } from "./node-app-component";

interface AppSpec {
  name: string;
  /** Repository-relative folder; the entry point is src/main.ts below it. */
  dir: string;
  database: string;
  port: (config: StackConfig) => number;
  portVariable: string;
  /** The variable through which the migration config learns the app's URL. */
  urlVariable: string;
  /** The variable through which the migration config learns the app's database URL (CDC). */
  databaseVariable: string;
}

/** The example's apps, in start order. A new service adds one line here and one port variable. */
const APPS: readonly AppSpec[] = [
  {
    name: "monolith",
    dir: "legacy-monolith",
    database: "monolith",
    port: (c) => c.monolithPort,
    portVariable: "STRANGLER_MONOLITH_PORT",
    urlVariable: "STRANGLER_MONOLITH_URL",
    databaseVariable: "STRANGLER_MONOLITH_DATABASE_URL",
  },
  {
    name: "users-service",
    dir: "extracted/users-service",
    database: "users_service",
    port: (c) => c.usersServicePort,
    portVariable: "STRANGLER_USERS_SERVICE_PORT",
    urlVariable: "STRANGLER_USERS_SERVICE_URL",
    databaseVariable: "STRANGLER_USERS_SERVICE_DATABASE_URL",
  },
];

/** Each app's URL under the variable the migration config interpolates (`STRANGLER_MONOLITH_URL`, …). */
export function appUrlVariables(config: StackConfig): Record<string, string> {
  return Object.fromEntries(APPS.map((app) => [app.urlVariable, httpBaseUrl(config.host, app.port(config))]));
}

/**
 * Each app's database URL on the stack's PostgreSQL under the variable the migration config
 * interpolates (`STRANGLER_MONOLITH_DATABASE_URL`, …), so STRANGLER_PG_PORT / STRANGLER_PG_URL flow into it.
 */
export function appDatabaseUrlVariables(config: StackConfig): Record<string, string> {
  return Object.fromEntries(APPS.map((app) => [app.databaseVariable, databaseUrl(adminDatabaseUrl(config), app.database)]));
}

/** The apps of the stack with their ports, entry points and database URLs resolved. */
export function appDefinitions(config: StackConfig): NodeAppDefinition[] {
  return APPS.map((app) => {
    const appDir = path.join(config.repoRoot, app.dir);
    return {
      name: app.name,
      appDir,
      entry: path.join(appDir, "src", "main.ts"),
      port: app.port(config),
      portVariable: app.portVariable,
      env: { DATABASE_URL: databaseUrl(adminDatabaseUrl(config), app.database) },
    };
  });
}
