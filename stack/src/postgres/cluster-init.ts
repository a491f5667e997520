import fs from "node:fs";
import { PG_SUPERUSER } from "../defaults";
import type { StackPaths } from "../config/stack-paths";
import { StackError } from "../errors/stack-error";
import { runCommand } from "../process/run-command";
import type { PostgresBinaries } from "./postgres-binaries";
import { type PostgresRunner, runnerCommand } from "./postgres-os-user";

/**
 * Creates the folders PostgreSQL needs. As root they belong to the postgres user, and the state
 * folders above them are made traversable (o+rx, only when they are not) so that user can reach them.
 */
export function prepareClusterFolders(paths: StackPaths, runner: PostgresRunner): void {
  for (const dir of [paths.home, paths.postgresDir, paths.logsDir, paths.runDir])
    fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(paths.pgSocketDir, { recursive: true, mode: 0o755 });
  fs.closeSync(fs.openSync(paths.pgLogFile, "a"));
  if (runner.kind === "os-user") {
    for (const dir of [paths.home, paths.postgresDir, paths.logsDir]) {
      const mode = fs.statSync(dir).mode & 0o7777;
      if ((mode & 0o001) === 0) fs.chmodSync(dir, mode | 0o005);
    }
    fs.chownSync(paths.pgSocketDir, runner.uid, runner.gid);
    fs.chownSync(paths.pgLogFile, runner.uid, runner.gid);
  }
}

/**
 * Runs initdb into a scratch folder and renames it into place only when it succeeded, so a data
 * folder is either complete or absent — never half-initialised.
 */
export async function initCluster(paths: StackPaths, bins: PostgresBinaries, runner: PostgresRunner): Promise<void> {
  fs.rmSync(paths.pgInitDir, { recursive: true, force: true });
  fs.mkdirSync(paths.pgInitDir, { mode: 0o700 });
  if (runner.kind === "os-user") fs.chownSync(paths.pgInitDir, runner.uid, runner.gid);
  const args = [
    "-D",
    paths.pgInitDir,
    "-U",
    PG_SUPERUSER,
    "--auth=trust",
    "--encoding=UTF8",
    "--locale=C",
    "--no-instructions",
  ];
  const [command, commandArgs] = runnerCommand(runner, bins.initdb, args);
  const result = await runCommand(command, commandArgs, { cwd: paths.postgresDir });
  if (result.code !== 0) {
    fs.rmSync(paths.pgInitDir, { recursive: true, force: true });
    throw new StackError("STACK_POSTGRES_FAILED", `initdb failed (${bins.initdb}):\n${result.output}`);
  }
  fs.renameSync(paths.pgInitDir, paths.pgDataDir);
}
