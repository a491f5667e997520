import path from "node:path";
import { DEFAULT_CONFIG_PATH, loadMigrationConfig, type MigrationConfig } from "@strangler/migration-config";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type CdcLogLevel = (typeof LOG_LEVELS)[number];

/** Everything the CDC process needs, read once from the environment and the migration config. */
export interface CdcSettings {
  /** Path of the migration config that was loaded (`STRANGLER_CONFIG`). */
  configPath: string;
  migration: MigrationConfig;
  /** The config's `cdc.listen.host` (default 127.0.0.1); `STRANGLER_CDC_HOST` overrides it. */
  host: string;
  /** The config's `cdc.listen.port` (default 4300); `STRANGLER_CDC_PORT` overrides it (tests pick a free port). */
  port: number;
  /** `LOG_LEVEL` (default info). */
  logLevel: CdcLogLevel;
}

/** cdc/src/process → the repository root. */
const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/**
 * Reads the CDC process's settings (the only place it reads process.env) and loads the migration
 * config; throws an error naming the variable or the file.
 */
export function loadCdcSettings(env: NodeJS.ProcessEnv = process.env): CdcSettings {
  const configPath = path.resolve(env.STRANGLER_CONFIG || path.join(REPO_ROOT, DEFAULT_CONFIG_PATH));
  const logLevel = (env.LOG_LEVEL || "info") as CdcLogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}`);
  const portText = env.STRANGLER_CDC_PORT || undefined;
  const port = Number(portText);
  if (portText !== undefined && (!/^\d+$/.test(portText) || port < 1 || port > 65535)) {
    throw new Error(`STRANGLER_CDC_PORT=${JSON.stringify(portText)}: expected a TCP port, an integer from 1 to 65535`);
  }
  const migration = loadMigrationConfig(configPath, env);
  const host = env.STRANGLER_CDC_HOST || migration.cdc.listen.host;
  return { configPath, migration, host, port: portText === undefined ? migration.cdc.listen.port : port, logLevel };
}
