import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadStackConfig, type StackConfig } from "../config/stack-config";
import { StackError } from "../errors/stack-error";
import {
  assertHomeNotLocked,
  claimHome,
  homeInUse,
  homeLockFile,
  homeOwnerWarning,
  readHomeOwner,
  releaseHome,
} from "./home-lock";

describe("the STRANGLER_HOME lock", () => {
  let home: string;
  let first: StackConfig;
  let second: StackConfig;
  const running = { inUse: () => true };
  const idle = { inUse: () => false };

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-home-"));
    first = {
      ...loadStackConfig({ STRANGLER_HOME: home }),
      repoRoot: "/checkouts/a",
      migrationConfigPath: "/checkouts/a/strangler.config.yaml",
    };
    second = { ...first, repoRoot: "/checkouts/b", migrationConfigPath: "/checkouts/b/strangler.config.yaml" };
  });

  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  function lockedError(action: () => void): StackError {
    try {
      action();
    } catch (error) {
      if (error instanceof StackError) return error;
      throw error;
    }
    throw new Error("expected STACK_HOME_LOCKED");
  }

  it("is taken by the first checkout, with its repo root, config and pid", () => {
    claimHome(first, running);
    expect(readHomeOwner(home)).toMatchObject({
      repoRoot: "/checkouts/a",
      config: "/checkouts/a/strangler.config.yaml",
      pid: process.pid,
    });
    claimHome(first, running);
  });

  it("refuses a second checkout while the first one's stack runs, naming the owner and the way out", () => {
    claimHome(first, running);
    const error = lockedError(() => claimHome(second, running));
    expect(error.code).toBe("STACK_HOME_LOCKED");
    expect(error.message).toContain(`STRANGLER_HOME ${home} belongs to the stack of another checkout or config`);
    expect(error.message).toContain("owner: /checkouts/a with config /checkouts/a/strangler.config.yaml");
    expect(error.message).toContain("npm run stack -- down");
    expect(error.message).toContain("set STRANGLER_HOME to");
    expect(lockedError(() => assertHomeNotLocked(second, running)).code).toBe("STACK_HOME_LOCKED");
    expect(readHomeOwner(home)?.repoRoot).toBe("/checkouts/a");
  });

  it("counts another config of the same checkout as another owner", () => {
    claimHome(first, running);
    expect(
      lockedError(() => claimHome({ ...first, migrationConfigPath: "/checkouts/a/other.yaml" }, running)).code,
    ).toBe("STACK_HOME_LOCKED");
  });

  it("passes to the next checkout once nothing runs from the home", () => {
    claimHome(first, running);
    claimHome(second, idle);
    expect(readHomeOwner(home)?.repoRoot).toBe("/checkouts/b");
  });

  it("is given up by its owner only", () => {
    claimHome(first, running);
    releaseHome(second);
    expect(fs.existsSync(homeLockFile(home))).toBe(true);
    releaseHome(first);
    expect(fs.existsSync(homeLockFile(home))).toBe(false);
    claimHome(second, running);
  });

  it("shows a warning in status to a checkout that does not own the home", () => {
    claimHome(first, running);
    expect(homeOwnerWarning(first, running)).toBeNull();
    expect(homeOwnerWarning(second, running)).toContain("belongs to /checkouts/a");
    expect(homeOwnerWarning(second, idle)).toBeNull();
  });

  it("sees a home in use while a process of its pid files lives", () => {
    expect(homeInUse(home)).toBe(false);
    fs.mkdirSync(path.join(home, "run"), { recursive: true });
    fs.writeFileSync(path.join(home, "run", "shop.pid"), `${process.pid}\n`);
    expect(homeInUse(home)).toBe(true);
  });

  it("takes the home past a claim guard a crashed claim left behind", () => {
    const guard = path.join(home, "owner.claiming");
    fs.mkdirSync(guard);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(guard, old, old);
    claimHome(first, running);
    expect(readHomeOwner(home)?.repoRoot).toBe("/checkouts/a");
    expect(fs.existsSync(guard)).toBe(false);
  });
});
