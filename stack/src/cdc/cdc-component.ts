import path from "node:path";
import { createNodeAppComponent, type NodeAppDefinition } from "../apps/node-app-component";
import { loadStackMigrationConfig, migrationConfigEnv } from "../config/migration-config-env";
import type { StackConfig } from "../config/stack-config";
import { CDC_LISTEN_ADDRESS, CDC_LOG_LEVEL, CDC_READY_TIMEOUT } from "../defaults";
import type { Component } from "../stack/component";
import { retireOtherTransport } from "./transport-switch";

/**
 * Where the CDC process listens: the migration config's cdc.listen (the example's interpolates
 * STRANGLER_CDC_HOST / STRANGLER_CDC_PORT). When the config cannot be read (status or down with a
 * broken file), the stack's own settings.
 */
export function cdcListen(config: StackConfig): { host: string; port: number } {
  try {
    return loadStackMigrationConfig(config).cdc.listen;
  } catch {
    return { host: CDC_LISTEN_ADDRESS, port: config.cdcPort };
  }
}

/** The CDC process's environment contract (see cdc/src/process/cdc-settings.ts). */
export function cdcEnv(config: StackConfig, listen = cdcListen(config)): Record<string, string> {
  return {
    STRANGLER_CONFIG: config.migrationConfigPath,
    STRANGLER_CDC_HOST: listen.host,
    STRANGLER_CDC_PORT: String(listen.port),
    LOG_LEVEL: CDC_LOG_LEVEL,
    // The stack's Unleash/Kafka/Connect addresses; the databases are the config's own (ADR 0014).
    ...migrationConfigEnv(config),
  };
}

function cdcDefinition(config: StackConfig): NodeAppDefinition {
  const appDir = path.join(config.repoRoot, "cdc");
  const listen = cdcListen(config);
  return {
    name: "cdc",
    appDir,
    entry: path.join(appDir, "src", "main.ts"),
    host: listen.host,
    port: listen.port,
    portVariable: "STRANGLER_CDC_PORT",
    // Ready once every stream of the migration config streams (after its first snapshot).
    readyTimeoutMs: CDC_READY_TIMEOUT,
    detail: "status: /status, metrics: /metrics",
    env: cdcEnv(config, listen),
    // Switching transport: the other one's slots would keep WAL for nobody.
    beforeStart: (progress) => retireOtherTransport(config, progress),
  };
}

/**
 * The CDC process (`node --import tsx cdc/src/main.ts`): one stream legacy database → service
 * database per service with `data` in the migration config.
 * Before it starts, the other transport's slots are retired (transport-switch.ts).
 */
export function createCdcComponent(config: StackConfig): Component {
  return createNodeAppComponent(config, cdcDefinition(config));
}
