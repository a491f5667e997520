import path from "node:path";
import { createNodeAppComponent, type NodeAppDefinition } from "../apps/node-app-component";
import { migrationConfigEnv } from "../config/migration-config-env";
import type { StackConfig } from "../config/stack-config";
import { CDC_LISTEN_ADDRESS, CDC_LOG_LEVEL, CDC_READY_TIMEOUT } from "../defaults";
import type { Component } from "../stack/component";
import { retireOtherTransport } from "./transport-switch";

/** The CDC process's environment contract (see cdc/src/process/cdc-settings.ts). */
export function cdcEnv(config: StackConfig): Record<string, string> {
  return {
    STRANGLER_CONFIG: config.migrationConfigPath,
    STRANGLER_CDC_HOST: CDC_LISTEN_ADDRESS,
    STRANGLER_CDC_PORT: String(config.cdcPort),
    LOG_LEVEL: CDC_LOG_LEVEL,
    // The stack's Unleash/Kafka/Connect addresses; the databases are the config's own (ADR 0014).
    ...migrationConfigEnv(config),
  };
}

function cdcDefinition(config: StackConfig): NodeAppDefinition {
  const appDir = path.join(config.repoRoot, "cdc");
  return {
    name: "cdc",
    appDir,
    entry: path.join(appDir, "src", "main.ts"),
    host: CDC_LISTEN_ADDRESS,
    port: config.cdcPort,
    portVariable: "STRANGLER_CDC_PORT",
    // Ready once every stream of the migration config streams (after its first snapshot).
    readyTimeoutMs: CDC_READY_TIMEOUT,
    detail: "status: /status, metrics: /metrics",
    env: cdcEnv(config),
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
