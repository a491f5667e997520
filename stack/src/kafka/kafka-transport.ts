import type { MigrationConfig } from "@strangler/migration-config";
import { loadStackMigrationConfig } from "../config/migration-config-env";
import type { StackConfig } from "../config/stack-config";
import { adminDatabaseUrl } from "../postgres/postgres-server-url";

/** Whether the stack runs Kafka and Connect: only when the migration config's cdc.transport is "debezium". */
export function usesDebezium(migration: MigrationConfig): boolean {
  return migration.cdc.transport === "debezium";
}

/** The migration config as the stack sees it, for kafka and connect. */
export function stackMigration(config: StackConfig): MigrationConfig {
  return loadStackMigrationConfig(config);
}

/** STRANGLER_CONNECT_PG_* that the connector files read through ${env:…}: the stack's PostgreSQL. */
export function connectPgEnv(config: StackConfig): Record<string, string> {
  const url = new URL(adminDatabaseUrl(config));
  return {
    STRANGLER_CONNECT_PG_HOST: url.hostname,
    STRANGLER_CONNECT_PG_PORT: url.port || "5432",
    STRANGLER_CONNECT_PG_USER: decodeURIComponent(url.username),
    STRANGLER_CONNECT_PG_PASSWORD: decodeURIComponent(url.password),
  };
}

/** The note `up` prints for kafka and connect when the transport is the embedded one. */
export const NOT_DEBEZIUM_NOTE =
  'skipped: cdc.transport is "embedded" (`npm run stack -- up --transport debezium` starts it)';

/** The `status` note of a stopped kafka or connect when the stack does not use them; undefined when it does (or the config does not load). */
export function notUsedDetail(config: StackConfig): string | undefined {
  try {
    return usesDebezium(stackMigration(config)) ? undefined : "not used: cdc.transport is embedded";
  } catch {
    return undefined;
  }
}
