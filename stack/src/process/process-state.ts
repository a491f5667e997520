import fs from "node:fs";
import { PROCESS_EXIT_POLL_INTERVAL } from "../defaults";

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** True for a zombie (exited, not yet reaped); only knowable where /proc exists. */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The state follows the command name, which is in parentheses and may itself contain spaces.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return false;
  }
}

/** Whether a process exists (EPERM counts: it exists but belongs to another user, e.g. postgres). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (errnoCode(error) !== "EPERM") return false;
  }
  return !isZombie(pid);
}

/** Whether any process of the group led by `pgid` still exists. */
export function isProcessGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === "EPERM";
  }
}

/**
 * Whether the group led by `pgid` has a member that still runs. Exited members not yet reaped
 * (zombies: their parent is gone and the machine's PID 1 does not reap, as in some containers)
 * count as gone; `process.kill(-pgid, 0)` alone would see them.
 */
export function isProcessGroupRunning(pgid: number): boolean {
  return isProcessGroupAlive(pgid) && groupHasLiveMember(pgid);
}

/** The command line of a process, or null where it cannot be read (no /proc, process gone). */
export function processCommandLine(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return null;
  }
}

/** Polls until `check` is false or the time is up; returns true when it became false. */
export async function waitUntilGone(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (check()) {
    if (Date.now() >= deadline) return false;
    await sleep(PROCESS_EXIT_POLL_INTERVAL);
  }
  return true;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if (errnoCode(error) !== "ESRCH") throw error;
  }
}

/**
 * SIGTERM to a process group, SIGKILL when it has not exited after `graceMs`.
 * The leader (pid = pgid) may already be gone while its children live, so the group is what counts.
 */
export async function terminateProcessGroup(
  pgid: number,
  graceMs: number,
): Promise<"stopped" | "killed" | "not running"> {
  const alive = () => isProcessGroupRunning(pgid);
  if (!alive()) return "not running";
  signalGroup(pgid, "SIGTERM");
  if (await waitUntilGone(alive, graceMs)) return "stopped";
  signalGroup(pgid, "SIGKILL");
  await waitUntilGone(alive, graceMs);
  return "killed";
}

/** Whether the group has a member that is not a zombie; without /proc, assume yes. */
function groupHasLiveMember(pgid: number): boolean {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return true;
  }
  return entries.some((entry) => {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return fields[0] !== "Z" && Number(fields[2]) === pgid;
    } catch {
      return false;
    }
  });
}
