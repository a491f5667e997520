import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { httpStatus } from "../apps/http-probe";
import { APP_READY_POLL_INTERVAL, UNLEASH_LISTEN_ADDRESS, UNLEASH_READY_TIMEOUT } from "../defaults";
import { StackError } from "../errors/stack-error";
import { fileSize, formatLogTail } from "../process/log-tail";
import { sleep, terminateProcessGroup } from "../process/process-state";
import { unleashServerEntry, unleashServerEnv } from "../unleash/unleash-server-env";

/** Grace between SIGTERM and SIGKILL for a test's Unleash (it stops in ≈1 s). */
const STOP_GRACE = 5_000;
const WATCHDOG = path.join(__dirname, "parent-watchdog.cjs");

/** A free TCP port on loopback, chosen by the kernel. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ host: UNLEASH_LISTEN_ADDRESS, port: 0 }, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface UnleashTestProcess {
  url: string;
  pid: number;
  /** SIGTERM to its process group, SIGKILL after a grace period; harmless when it has exited. */
  kill(): Promise<void>;
}

/**
 * Starts unleash-server on `databaseUrl` and a free loopback port and waits for GET /health → 200.
 * It runs in its own process group with a parent watchdog, and is killed when this process exits.
 */
export async function startUnleashProcess(options: {
  repoRoot: string;
  databaseUrl: string;
  logFile: string;
  adminToken?: string;
  clientToken?: string;
}): Promise<UnleashTestProcess> {
  const port = await freeLoopbackPort();
  const url = `http://${UNLEASH_LISTEN_ADDRESS}:${port}`;
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const logStart = fileSize(options.logFile);
  const logFd = fs.openSync(options.logFile, "a");
  const state: { exited: string | null } = { exited: null };
  let pid: number;
  try {
    const child = spawn(process.execPath, ["--require", WATCHDOG, unleashServerEntry(options.repoRoot)], {
      detached: true,
      stdio: ["ignore", logFd, logFd],
      env: { TZ: "UTC", ...unleashServerEnv({ ...options, host: UNLEASH_LISTEN_ADDRESS, port }) },
    });
    child.on("error", (error) => (state.exited = `could not be spawned: ${error.message}`));
    child.on("exit", (code, signal) => (state.exited = `exited with ${signal ?? `code ${code}`}`));
    if (child.pid === undefined) throw new StackError("STACK_UNLEASH_FAILED", `could not spawn ${process.execPath}`);
    pid = child.pid;
  } finally {
    fs.closeSync(logFd);
  }
  const killOnExit = () => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  process.once("exit", killOnExit);
  const kill = async () => {
    process.removeListener("exit", killOnExit);
    await terminateProcessGroup(pid, STOP_GRACE);
  };

  const deadline = Date.now() + UNLEASH_READY_TIMEOUT;
  for (;;) {
    if (state.exited) {
      await kill();
      throw new StackError(
        "STACK_UNLEASH_FAILED",
        `unleash ${state.exited} before it was healthy.\n${formatLogTail(options.logFile, logStart)}`,
        { retriable: true },
      );
    }
    if ((await httpStatus(`${url}/health`)) === 200) return { url, pid, kill };
    if (Date.now() >= deadline) {
      await kill();
      throw new StackError(
        "STACK_UNLEASH_FAILED",
        `unleash did not answer GET ${url}/health within ${UNLEASH_READY_TIMEOUT / 1000} s.\n${formatLogTail(options.logFile, logStart)}`,
      );
    }
    await sleep(APP_READY_POLL_INTERVAL);
  }
}
