import fs from "node:fs";
import path from "node:path";
import type { StackPaths } from "../config/stack-paths";
import {
  MAX_UNIX_SOCKET_PATH,
  PG_EXIT_WAIT,
  PG_LISTEN_ADDRESS,
  PG_SERVER_SETTINGS,
  PG_START_TIMEOUT_SECONDS,
  PG_STOP_TIMEOUT_SECONDS,
} from "../defaults";
import { StackError } from "../errors/stack-error";
import { fileSize, formatLogTail } from "../process/log-tail";
import { isProcessAlive, waitUntilGone } from "../process/process-state";
import { runCommand } from "../process/run-command";
import { readPostmasterPid } from "./cluster-state";
import type { PostgresBinaries } from "./postgres-binaries";
import { type PostgresRunner, runnerCommand } from "./postgres-os-user";

/** pg_ctl passes -o through /bin/sh, so every value is single-quoted. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The server options given to pg_ctl -o (port, loopback only, socket folder, logical decoding). */
export function serverOptions(port: number, socketDir: string): string {
  const settings: Record<string, string> = {
    listen_addresses: PG_LISTEN_ADDRESS,
    unix_socket_directories: socketDir,
    ...PG_SERVER_SETTINGS,
  };
  const flags = Object.entries(settings).map(([name, value]) => `-c ${shellQuote(`${name}=${value}`)}`);
  return [`-p ${port}`, ...flags].join(" ");
}

function assertSocketPathFits(socketDir: string, port: number): void {
  const socket = path.join(socketDir, `.s.PGSQL.${port}`);
  if (Buffer.byteLength(socket) > MAX_UNIX_SOCKET_PATH) {
    throw new StackError(
      "STACK_CONFIG_INVALID",
      `the PostgreSQL socket path ${socket} is longer than ${MAX_UNIX_SOCKET_PATH} bytes: set STRANGLER_HOME to a shorter folder`,
    );
  }
}

/** pg_ctl start -w; the caller has checked the port and the data folder. */
export async function startCluster(
  paths: StackPaths,
  port: number,
  bins: PostgresBinaries,
  runner: PostgresRunner,
): Promise<void> {
  assertSocketPathFits(paths.pgSocketDir, port);
  const logStart = fileSize(paths.pgLogFile);
  const args = [
    "start",
    "-w",
    "-t",
    String(PG_START_TIMEOUT_SECONDS),
    "-D",
    paths.pgDataDir,
    "-l",
    paths.pgLogFile,
    "-o",
    serverOptions(port, paths.pgSocketDir),
  ];
  const [command, commandArgs] = runnerCommand(runner, bins.pgCtl, args);
  const result = await runCommand(command, commandArgs, { cwd: paths.postgresDir });
  if (result.code !== 0) {
    throw new StackError(
      "STACK_POSTGRES_FAILED",
      `pg_ctl start failed (exit ${result.code}):\n${result.output}\n${formatLogTail(paths.pgLogFile, logStart)}`,
    );
  }
}

/**
 * pg_ctl stop -m fast. Without usable binaries (or when pg_ctl fails) it falls back to signals:
 * SIGINT is PostgreSQL's fast shutdown, SIGQUIT its immediate one.
 */
export async function stopCluster(
  paths: StackPaths,
  bins: PostgresBinaries | null,
  runner: PostgresRunner,
): Promise<"stopped" | "killed" | "not running"> {
  const postmaster = readPostmasterPid(paths.pgDataDir);
  if (!postmaster || !isProcessAlive(postmaster.pid)) return "not running";
  const alive = () => isProcessAlive(postmaster.pid);
  if (bins) {
    const args = ["stop", "-w", "-t", String(PG_STOP_TIMEOUT_SECONDS), "-m", "fast", "-D", paths.pgDataDir];
    const [command, commandArgs] = runnerCommand(runner, bins.pgCtl, args);
    const result = await runCommand(command, commandArgs, { cwd: paths.postgresDir });
    if (result.code === 0 && (await waitUntilGone(alive, PG_EXIT_WAIT))) return "stopped";
  } else {
    process.kill(postmaster.pid, "SIGINT");
    if (await waitUntilGone(alive, PG_STOP_TIMEOUT_SECONDS * 1000)) return "stopped";
  }
  if (alive()) process.kill(postmaster.pid, "SIGQUIT");
  if (!(await waitUntilGone(alive, PG_STOP_TIMEOUT_SECONDS * 1000))) {
    throw new StackError(
      "STACK_POSTGRES_FAILED",
      `PostgreSQL (pid ${postmaster.pid}) did not stop; see ${paths.pgLogFile}`,
    );
  }
  return "killed";
}

/** Whether the data folder belongs to the runner (as root: the postgres user). */
export function ownedByRunner(dataDir: string, runner: PostgresRunner): boolean {
  return runner.kind === "self" || fs.statSync(dataDir).uid === runner.uid;
}
