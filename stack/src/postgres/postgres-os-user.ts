import fs from "node:fs";
import path from "node:path";
import { PG_OS_USER } from "../defaults";
import { StackError, describeError } from "../errors/stack-error";
import { runCommand } from "../process/run-command";

/**
 * Who runs initdb, pg_ctl and postgres. PostgreSQL refuses to run as root, so a root stack runs
 * them as the `postgres` user through runuser; anyone else runs them directly.
 */
export type PostgresRunner = { kind: "self" } | { kind: "os-user"; user: string; uid: number; gid: number };

/** True when this process runs as root. */
export function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

async function userIds(user: string): Promise<{ uid: number; gid: number } | null> {
  const uid = await runCommand("id", ["-u", user]);
  const gid = await runCommand("id", ["-g", user]);
  if (uid.code !== 0 || gid.code !== 0) return null;
  return { uid: Number(uid.output.trim()), gid: Number(gid.output.trim()) };
}

async function createSystemUser(user: string): Promise<void> {
  const args = ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", user];
  let result;
  try {
    result = await runCommand("useradd", args);
  } catch (error) {
    throw new StackError(
      "STACK_BINARY_MISSING",
      `running as root, PostgreSQL needs the '${user}' user, and useradd is not available (${describeError(error)}): create the user yourself, or run the stack as an ordinary user`,
    );
  }
  if (result.code !== 0) {
    throw new StackError("STACK_PERMISSION", `useradd ${args.join(" ")} failed:\n${result.output}`);
  }
}

/** Decides who runs PostgreSQL; as root, creates the postgres system user when it is missing. */
export async function resolvePostgresRunner(): Promise<PostgresRunner> {
  if (!runningAsRoot()) return { kind: "self" };
  let ids = await userIds(PG_OS_USER);
  if (!ids) {
    await createSystemUser(PG_OS_USER);
    ids = await userIds(PG_OS_USER);
    if (!ids)
      throw new StackError("STACK_PERMISSION", `created the '${PG_OS_USER}' user but cannot look it up with id`);
  }
  return { kind: "os-user", user: PG_OS_USER, ...ids };
}

/** The command line that runs `executable args` as the runner. */
export function runnerCommand(runner: PostgresRunner, executable: string, args: readonly string[]): [string, string[]] {
  if (runner.kind === "self") return [executable, [...args]];
  return ["runuser", ["-u", runner.user, "--", executable, ...args]];
}

type StatLike = Pick<fs.Stats, "uid" | "gid" | "mode">;

/** The first folder on the way to `target` that uid/gid cannot enter, or null when all can be. */
export function untraversableAncestor(
  target: string,
  ids: { uid: number; gid: number },
  stat: (dir: string) => StatLike = fs.statSync,
): string | null {
  const dirs: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    dirs.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of dirs) {
    let info: StatLike;
    try {
      info = stat(dir);
    } catch {
      return null; // not created yet: whoever creates it decides its mode
    }
    const bit = info.uid === ids.uid ? 0o100 : info.gid === ids.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) return dir;
  }
  return null;
}

/** Throws STACK_PERMISSION when the runner cannot reach `target` (e.g. a repository under /root). */
export function assertReachable(runner: PostgresRunner, target: string, what: string): void {
  if (runner.kind === "self") return;
  const blocked = untraversableAncestor(target, runner);
  if (blocked) {
    throw new StackError(
      "STACK_PERMISSION",
      `PostgreSQL runs as the '${runner.user}' user (the stack runs as root) and cannot enter ${blocked}, which it needs to reach the ${what} ${target}.\n` +
        `  Make it traversable (chmod o+x ${blocked}), or move the state with STRANGLER_HOME / the binaries with STRANGLER_PG_BIN to a reachable folder.`,
    );
  }
}

/** chown -R, for a data folder created by another user earlier. */
export async function chownRecursive(target: string, runner: PostgresRunner): Promise<void> {
  if (runner.kind === "self") return;
  const result = await runCommand("chown", ["-R", `${runner.uid}:${runner.gid}`, target]);
  if (result.code !== 0)
    throw new StackError("STACK_PERMISSION", `chown -R ${runner.user} ${target} failed:\n${result.output}`);
}
