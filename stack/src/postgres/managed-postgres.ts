import type { ManagedPostgresConfig, StackConfig } from "../config/stack-config";
import { stackPaths } from "../config/stack-paths";
import { PG_LISTEN_ADDRESS } from "../defaults";
import { StackError } from "../errors/stack-error";
import { assertPortFree } from "../process/port-check";
import type { ProgressListener } from "../stack/progress";
import { initCluster, prepareClusterFolders } from "./cluster-init";
import { ownedByRunner, startCluster, stopCluster } from "./cluster-control";
import { clusterState } from "./cluster-state";
import { type PostgresBinaries, resolvePostgresBinaries, serverMajorVersion } from "./postgres-binaries";
import { assertReachable, chownRecursive, resolvePostgresRunner } from "./postgres-os-user";

function invalidDataDir(reason: string, dataDir: string): StackError {
  return new StackError(
    "STACK_DATA_DIR_INVALID",
    `${reason}\n  It may be left from an interrupted run. Remove it (rm -rf ${dataDir}; its databases are lost) or set STRANGLER_HOME to another folder.`,
  );
}

async function assertVersionMatches(dataMajor: number, bins: PostgresBinaries, dataDir: string): Promise<void> {
  const binMajor = await serverMajorVersion(bins);
  if (binMajor !== dataMajor) {
    throw new StackError(
      "STACK_DATA_DIR_INVALID",
      `${dataDir} was created by PostgreSQL ${dataMajor}, but the binaries in ${bins.binDir} are PostgreSQL ${binMajor}.\n` +
        `  Set STRANGLER_PG_BIN to a PostgreSQL ${dataMajor} bin folder, or remove ${dataDir} (its databases are lost) to start afresh.`,
    );
  }
}

/**
 * Starts the project-owned cluster unless it already runs: initdb on first use, pg_ctl start
 * as the right user. Returns "started" or "already running".
 */
export async function startManagedPostgres(
  config: StackConfig,
  postgres: ManagedPostgresConfig,
  progress: ProgressListener,
): Promise<"started" | "already running"> {
  const paths = stackPaths(config.home);
  const before = clusterState(paths.pgDataDir);
  if (before.kind === "running") {
    if (before.port !== postgres.port) {
      throw new StackError(
        "STACK_POSTGRES_FAILED",
        `the cluster in ${paths.pgDataDir} already runs on port ${before.port}, but STRANGLER_PG_PORT is ${postgres.port}: run \`npm run stack -- down\` first, then \`up\` again`,
      );
    }
    return "already running";
  }
  if (before.kind === "invalid") throw invalidDataDir(before.reason, paths.pgDataDir);

  const bins = resolvePostgresBinaries(postgres.binDir, config.repoRoot);
  const runner = await resolvePostgresRunner();
  assertReachable(runner, bins.postgres, "PostgreSQL binary");
  prepareClusterFolders(paths, runner);
  assertReachable(runner, paths.postgresDir, "data folder");
  await assertPortFree({
    component: "postgres",
    host: PG_LISTEN_ADDRESS,
    port: postgres.port,
    variable: "STRANGLER_PG_PORT",
  });

  if (before.kind === "absent") {
    progress({
      kind: "note",
      label: "postgres",
      message: `initialising a new cluster in ${paths.pgDataDir} (${bins.source} binaries, ${bins.binDir})`,
    });
    await initCluster(paths, bins, runner);
  } else {
    await assertVersionMatches(before.majorVersion, bins, paths.pgDataDir);
    if (!ownedByRunner(paths.pgDataDir, runner)) await chownRecursive(paths.pgDataDir, runner);
  }
  await startCluster(paths, postgres.port, bins, runner);
  return "started";
}

/** Stops the project-owned cluster (pg_ctl stop -m fast); harmless when it does not run. */
export async function stopManagedPostgres(
  config: StackConfig,
  postgres: ManagedPostgresConfig,
): Promise<"stopped" | "killed" | "not running"> {
  const paths = stackPaths(config.home);
  if (clusterState(paths.pgDataDir).kind !== "running") return "not running";
  let bins: PostgresBinaries | null = null;
  try {
    bins = resolvePostgresBinaries(postgres.binDir, config.repoRoot);
  } catch {
    // Stopping must work even when the binaries went away: fall back to signals.
  }
  return stopCluster(paths, bins, await resolvePostgresRunner());
}
