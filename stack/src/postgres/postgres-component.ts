import type { StackConfig } from "../config/stack-config";
import { stackPaths } from "../config/stack-paths";
import { StackError } from "../errors/stack-error";
import type { Component, ComponentStatus } from "../stack/component";
import { type ProgressListener, silentProgress, trackStep } from "../stack/progress";
import { clusterState } from "./cluster-state";
import { startManagedPostgres, stopManagedPostgres } from "./managed-postgres";
import { isPostgresReachable, postgresProblem, redactUrl } from "./pg-client";
import { loadStackMigrationConfig } from "../config/migration-config-env";
import { stackDatabases } from "./databases";
import { adminDatabaseUrl } from "./postgres-server-url";
import { type PrepareDatabasesOptions, prepareDatabasesAt } from "./prepare-databases";

/** Starts the project-owned cluster unless it runs, or checks that STRANGLER_PG_URL answers. Returns the outcome word. */
export async function ensurePostgres(
  config: StackConfig,
  progress: ProgressListener = silentProgress,
): Promise<"started" | "already running" | "reachable"> {
  if (config.postgres.kind === "managed") return startManagedPostgres(config, config.postgres, progress);
  const problem = await postgresProblem(config.postgres.url);
  if (problem !== null) {
    throw new StackError(
      "STACK_POSTGRES_UNREACHABLE",
      `cannot connect to STRANGLER_PG_URL (${redactUrl(config.postgres.url)}): ${problem}\n  Check that the server runs and the URL, user and password are right, or unset STRANGLER_PG_URL to use the project's own cluster`,
      { retriable: true },
    );
  }
  return "reachable";
}

/** Stops the project-owned cluster (pg_ctl stop -m fast); does nothing for STRANGLER_PG_URL. */
export async function stopPostgres(config: StackConfig): Promise<"stopped" | "killed" | "not running" | "not managed"> {
  return config.postgres.kind === "external" ? "not managed" : stopManagedPostgres(config, config.postgres);
}

/**
 * Creates the databases where missing and runs their apps' migrate commands (PostgreSQL must run).
 * Default: what the migration config puts on the stack's PostgreSQL, and the stack's own (stackDatabases).
 */
export function prepareDatabases(config: StackConfig, options: Partial<PrepareDatabasesOptions> = {}): Promise<void> {
  const adminUrl = adminDatabaseUrl(config);
  const databases = options.databases ?? stackDatabases(loadStackMigrationConfig(config), adminUrl);
  return prepareDatabasesAt(adminUrl, { env: config.childEnv, ...options, databases });
}

async function postgresStatus(config: StackConfig): Promise<ComponentStatus> {
  const url = adminDatabaseUrl(config);
  const healthy = await isPostgresReachable(url);
  if (config.postgres.kind === "external") {
    return { url: redactUrl(url), pid: null, healthy, log: null, state: healthy ? "external" : "unreachable" };
  }
  const paths = stackPaths(config.home);
  const state = clusterState(paths.pgDataDir);
  const running = state.kind === "running";
  return {
    url,
    pid: running ? state.pid : null,
    healthy: running && healthy,
    log: paths.pgLogFile,
    state: running ? "running" : "stopped",
    ...(state.kind === "absent"
      ? { detail: "not initialised" }
      : state.kind === "invalid"
        ? { detail: state.reason }
        : {}),
  };
}

/** PostgreSQL as a stack component: starting it also creates and migrates the stack's databases. */
export function createPostgresComponent(config: StackConfig): Component {
  return {
    name: "postgres",
    async start(progress: ProgressListener) {
      const outcome = await trackStep(progress, "postgres", "starting", () => ensurePostgres(config, progress));
      await prepareDatabases(config, { progress });
      return outcome;
    },
    stop: () => stopPostgres(config),
    status: () => postgresStatus(config),
  };
}
