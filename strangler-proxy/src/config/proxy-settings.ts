import os from "node:os";
import path from "node:path";
import { DEFAULT_CONFIG_PATH, loadMigrationConfig, type MigrationConfig } from "@strangler/migration-config";
import { ADMIN_TOKEN_MIN_LENGTH, DEFAULT_BACKUP_SUBDIR } from "../defaults";
import { ProxyError } from "../errors/proxy-error";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the proxy process needs to start, read once from the environment and the migration config. */
export interface ProxySettings {
  /** Path of the migration config that was loaded. */
  configPath: string;
  migration: MigrationConfig;
  /** Client API token for unleash-client (`STRANGLER_UNLEASH_CLIENT_TOKEN`). */
  unleashClientToken: string;
  /** Bearer token of the admin API (`STRANGLER_PROXY_ADMIN_TOKEN`). */
  adminToken: string;
  /** Folder of the unleash-client backup file (`STRANGLER_PROXY_BACKUP_DIR`). */
  backupDir: string;
  logLevel: LogLevel;
}

/** strangler-proxy/src/config → the repository root. */
const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

function invalid(variable: string, message: string): ProxyError {
  return new ProxyError("STRANGLER_PROXY_SETTINGS_INVALID", `${variable} ${message}`, { variable });
}

/**
 * Reads the proxy's settings from the environment (the only place the proxy reads process.env) and
 * loads the migration config named by STRANGLER_CONFIG. Throws an error naming the variable or file.
 */
export function loadProxySettings(env: NodeJS.ProcessEnv = process.env): ProxySettings {
  const configPath = path.resolve(env.STRANGLER_CONFIG || path.join(REPO_ROOT, DEFAULT_CONFIG_PATH));
  const adminToken = env.STRANGLER_PROXY_ADMIN_TOKEN ?? "";
  if (adminToken.length < ADMIN_TOKEN_MIN_LENGTH) {
    throw invalid(
      "STRANGLER_PROXY_ADMIN_TOKEN",
      `is required and must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters (the admin API's bearer token)`,
    );
  }
  const unleashClientToken = env.STRANGLER_UNLEASH_CLIENT_TOKEN ?? "";
  if (unleashClientToken.trim() === "") {
    throw invalid(
      "STRANGLER_UNLEASH_CLIENT_TOKEN",
      "is required: a client API token of the Unleash server (e.g. default:development.<secret>)",
    );
  }
  const logLevel = (env.LOG_LEVEL || "info") as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw invalid("LOG_LEVEL", `must be one of ${LOG_LEVELS.join(", ")}`);
  const backupDir = path.resolve(env.STRANGLER_PROXY_BACKUP_DIR || path.join(os.tmpdir(), DEFAULT_BACKUP_SUBDIR));
  // loadMigrationConfig names the file, the path inside it and the line when the file is wrong.
  const migration = loadMigrationConfig(configPath, env);
  return { configPath, migration, unleashClientToken, adminToken, backupDir, logLevel };
}
