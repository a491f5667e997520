import { loadMigrationConfig, type MigrationConfig } from "@strangler/migration-config";
import { httpBaseUrl } from "../apps/http-probe";
import { KAFKA_LISTEN_ADDRESS, UNLEASH_LISTEN_ADDRESS } from "../defaults";
import type { StackConfig } from "./stack-config";

/** Where the stack's Unleash answers. */
export function stackUnleashUrl(config: StackConfig): string {
  return httpBaseUrl(UNLEASH_LISTEN_ADDRESS, config.unleashPort);
}

/**
 * The addresses of the stack's own infrastructure (its Unleash, the proxy's ports, its Kafka and
 * Connect) under the variables a migration config may interpolate (`${STRANGLER_UNLEASH_URL:-…}`), so
 * a port changed for the stack flows into the config the proxy and the CDC process read. Nothing
 * about the apps or their databases: those the config alone says (ADR 0014).
 */
export function migrationConfigEnv(config: StackConfig): Record<string, string> {
  return {
    STRANGLER_UNLEASH_URL: stackUnleashUrl(config),
    STRANGLER_PROXY_PORT: String(config.proxyPort),
    STRANGLER_PROXY_ADMIN_PORT: String(config.proxyAdminPort),
    // Used by cdc.kafka when cdc.transport is "debezium"; the stack's own broker and worker.
    STRANGLER_KAFKA_BROKERS: `${KAFKA_LISTEN_ADDRESS}:${config.kafkaPort}`,
    STRANGLER_CONNECT_URL: httpBaseUrl(KAFKA_LISTEN_ADDRESS, config.connectPort),
  };
}

/** The migration config (STRANGLER_CONFIG) as the stack's proxy will see it; throws MigrationConfigError. */
export function loadStackMigrationConfig(config: StackConfig): MigrationConfig {
  return loadMigrationConfig(config.migrationConfigPath, { ...config.childEnv, ...migrationConfigEnv(config) });
}
