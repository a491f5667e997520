import fs from "node:fs";
import path from "node:path";
import type { StackConfig } from "../config/stack-config";
import { stackPaths } from "../config/stack-paths";
import { StackError } from "../errors/stack-error";
import { clusterState } from "../postgres/cluster-state";
import { HOME_CLAIM_GUARD_POLL_MS, HOME_CLAIM_GUARD_STALE_MS } from "../defaults";
import { readPidFile } from "../process/pid-file";
import { isProcessAlive } from "../process/process-state";

/** Who runs the stack of a STRANGLER_HOME: one checkout with one migration config. */
export interface HomeOwner {
  repoRoot: string;
  config: string;
  /** The `stack` command that took the home. */
  pid: number;
  since: string;
}

/** The owner file of a home. */
export function homeLockFile(home: string): string {
  return path.join(home, "owner.json");
}

/** The current owner, or null when nobody holds the home (or the file is unreadable). */
export function readHomeOwner(home: string): HomeOwner | null {
  try {
    const owner = JSON.parse(fs.readFileSync(homeLockFile(home), "utf8")) as Partial<HomeOwner>;
    return typeof owner.repoRoot === "string" && typeof owner.config === "string" ? (owner as HomeOwner) : null;
  } catch {
    return null;
  }
}

/** Whether anything runs from the home: a live pid in its pid files, or its PostgreSQL cluster. */
export function homeInUse(home: string): boolean {
  const paths = stackPaths(home);
  if (clusterState(paths.pgDataDir).kind === "running") return true;
  const pidFiles = fs.existsSync(paths.runDir)
    ? fs.readdirSync(paths.runDir).filter((name) => name.endsWith(".pid"))
    : [];
  return pidFiles.some((name) => {
    const pid = readPidFile(path.join(paths.runDir, name));
    return pid !== null && isProcessAlive(pid);
  });
}

function isSameOwner(owner: HomeOwner, config: StackConfig): boolean {
  return owner.repoRoot === config.repoRoot && owner.config === config.migrationConfigPath;
}

function lockedMessage(config: StackConfig, owner: HomeOwner): string {
  return [
    `STRANGLER_HOME ${config.home} belongs to the stack of another checkout or config:`,
    `  owner: ${owner.repoRoot} with config ${owner.config} (taken by pid ${owner.pid} at ${owner.since})`,
    `  this: ${config.repoRoot} with config ${config.migrationConfigPath}`,
    `  Its processes still run; acting on them from here would orphan them. Either run \`npm run stack -- down\``,
    `  in ${owner.repoRoot} (with the same STRANGLER_HOME and STRANGLER_CONFIG) first, or set STRANGLER_HOME to`,
    `  another folder for this checkout (and other ports: STRANGLER_PG_PORT, the config's urls, …).`,
  ].join("\n");
}

export interface HomeLockOptions {
  /** Whether the home's processes run (default: homeInUse); a home nobody runs from is free to take. */
  inUse?: (home: string) => boolean;
}

/**
 * Takes the home for this checkout and config, or confirms it holds it already. Throws
 * STACK_HOME_LOCKED when another owner's stack still runs from it; an owner whose stack runs no
 * process any more is replaced.
 */
export function claimHome(config: StackConfig, options: HomeLockOptions = {}): void {
  const inUse = options.inUse ?? homeInUse;
  fs.mkdirSync(config.home, { recursive: true });
  withClaimGuard(config.home, () => {
    const owner = readHomeOwner(config.home);
    if (owner && isSameOwner(owner, config)) return;
    if (owner && inUse(config.home)) throw new StackError("STACK_HOME_LOCKED", lockedMessage(config, owner));
    const self: HomeOwner = {
      repoRoot: config.repoRoot,
      config: config.migrationConfigPath,
      pid: process.pid,
      since: new Date().toISOString(),
    };
    fs.writeFileSync(homeLockFile(config.home), `${JSON.stringify(self, null, 2)}\n`);
  });
}

/**
 * Runs the check-and-write of claimHome under a guard folder (mkdir is atomic), so of two checkouts
 * claiming at once one checks and writes first and the other then sees it as the owner. A guard
 * left by a crashed claim is removed after HOME_CLAIM_GUARD_STALE_MS.
 */
function withClaimGuard(home: string, claim: () => void): void {
  const guard = path.join(home, "owner.claiming");
  const deadline = Date.now() + HOME_CLAIM_GUARD_STALE_MS;
  for (;;) {
    try {
      fs.mkdirSync(guard);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = Date.now() - (fs.statSync(guard, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > HOME_CLAIM_GUARD_STALE_MS || Date.now() > deadline) fs.rmSync(guard, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, HOME_CLAIM_GUARD_POLL_MS);
    }
  }
  try {
    claim();
  } finally {
    fs.rmSync(guard, { recursive: true, force: true });
  }
}

/** Throws STACK_HOME_LOCKED when another owner's stack runs from the home; never takes it. */
export function assertHomeNotLocked(config: StackConfig, options: HomeLockOptions = {}): void {
  const owner = readHomeOwner(config.home);
  if (owner && !isSameOwner(owner, config) && (options.inUse ?? homeInUse)(config.home)) {
    throw new StackError("STACK_HOME_LOCKED", lockedMessage(config, owner));
  }
}

/** Gives the home up (after a full `down`); only its owner does. */
export function releaseHome(config: StackConfig): void {
  const owner = readHomeOwner(config.home);
  if (owner && isSameOwner(owner, config)) fs.rmSync(homeLockFile(config.home), { force: true });
}

/** A note for `status` when another checkout owns the home, else null. */
export function homeOwnerWarning(config: StackConfig, options: HomeLockOptions = {}): string | null {
  const owner = readHomeOwner(config.home);
  if (!owner || isSameOwner(owner, config) || !(options.inUse ?? homeInUse)(config.home)) return null;
  return `STRANGLER_HOME ${config.home} belongs to ${owner.repoRoot} (config ${owner.config}); the components above are its processes`;
}
