import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { StackConfig } from "../config/stack-config";
import { componentLogFile, componentPidFile } from "../config/stack-paths";
import { APP_READY_POLL_INTERVAL, APP_READY_TIMEOUT, APP_STOP_GRACE } from "../defaults";
import { StackError } from "../errors/stack-error";
import { fileSize, formatLogTail } from "../process/log-tail";
import { readPidFile, removePidFile, writePidFile } from "../process/pid-file";
import { assertPortFree } from "../process/port-check";
import { isProcessAlive, processCommandLine, sleep, terminateProcessGroup } from "../process/process-state";
import type { Component, ComponentStatus } from "../stack/component";
import { type ProgressListener, trackStep } from "../stack/progress";
import { httpBaseUrl, httpStatus } from "./http-probe";
import { forgetApp, recordApp } from "./recorded-apps";
import { tsxLoaderUrl } from "./tsx-loader";

/**
 * A Node HTTP server run as a detached process: by default a TypeScript app run with
 * `node --import tsx <entry>` answering /readyz; Unleash and the proxy tune the optional fields.
 */
export interface NodeAppDefinition {
  name: string;
  /** Absolute app folder (the working directory of the process). */
  appDir: string;
  /**
   * Absolute path of its entry point, e.g. <appDir>/src/main.ts; with `command`, the text that
   * identifies its process in /proc/<pid>/cmdline (a reused pid is not taken for it).
   */
  entry: string;
  /**
   * A configured app's program and arguments (no shell), run in appDir instead of node + entry. It
   * gets PORT and `env` on top of the inherited environment, and nothing else of the stack's.
   */
  command?: readonly string[];
  port: number;
  /** The variable that sets the port, named in port-conflict messages. */
  portVariable: string;
  /** Extra environment (DATABASE_URL, …); it may override the HOST, PORT and LOG_LEVEL the component sets. */
  env: Readonly<Record<string, string>>;
  /** Address it listens on (default STRANGLER_HOST). */
  host?: string;
  /** "tsx" (default): TypeScript through tsx's loader; "node": a JavaScript entry run as is. */
  runtime?: "tsx" | "node";
  /** URL that answers 2xx once it is ready (default <url>/readyz). */
  readyUrl?: string;
  /** How long it may take to get ready (default APP_READY_TIMEOUT). */
  readyTimeoutMs?: number;
  /** Further ports it listens on, checked free before it starts (e.g. an admin port). */
  extraPorts?: ReadonlyArray<{ port: number; variable: string }>;
  /** A note for `status` while it runs healthy (a login, a second URL). */
  detail?: string;
  /** Runs right before the process is spawned (not when it runs already), e.g. to clean up what its last run left. */
  beforeStart?: (progress: ProgressListener) => Promise<void>;
}

function appHost(config: StackConfig, app: NodeAppDefinition): string {
  return app.host ?? config.host;
}

function readyUrlOf(config: StackConfig, app: NodeAppDefinition): string {
  return app.readyUrl ?? `${httpBaseUrl(appHost(config, app), app.port)}/readyz`;
}

function isSuccess(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

type RunningApp = { pid: number } | { pid: null; stalePid: number | null };

/** Our app runs under the pid in the pid file, and that pid was not reused by something else. */
function runningApp(pidFile: string, entry: string): RunningApp {
  const pid = readPidFile(pidFile);
  if (pid === null) return { pid: null, stalePid: null };
  const commandLine = processCommandLine(pid);
  const ours = isProcessAlive(pid) && (commandLine === null || commandLine.includes(entry));
  return ours ? { pid } : { pid: null, stalePid: pid };
}

function spawnApp(
  config: StackConfig,
  app: NodeAppDefinition,
  logFile: string,
): { pid: number; exit: () => string | null } {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const logFd = fs.openSync(logFile, "a");
  let exitDescription: string | null = null;
  try {
    const [program, ...args] = app.command ?? [
      process.execPath,
      ...(app.runtime === "node" ? [app.entry] : ["--import", tsxLoaderUrl(config.repoRoot), app.entry]),
    ];
    const stackVariables = app.command
      ? { PORT: String(app.port) }
      : { HOST: appHost(config, app), PORT: String(app.port), LOG_LEVEL: "info" };
    const child = spawn(program ?? process.execPath, args, {
      cwd: app.appDir,
      // Its own process group: `down` signals the group, and a terminal's Ctrl-C does not reach it.
      detached: true,
      stdio: ["ignore", logFd, logFd],
      env: { ...config.childEnv, ...stackVariables, ...app.env },
    });
    child.on("error", (error) => (exitDescription = `could not be spawned: ${error.message}`));
    child.on("exit", (code, signal) => (exitDescription = `exited with ${signal ?? `code ${code}`}`));
    child.unref();
    if (child.pid === undefined)
      throw new StackError("STACK_APP_FAILED", `${app.name}: could not spawn ${program ?? process.execPath}`);
    return { pid: child.pid, exit: () => exitDescription };
  } finally {
    fs.closeSync(logFd);
  }
}

async function startApp(
  config: StackConfig,
  app: NodeAppDefinition,
  progress: ProgressListener,
): Promise<"started" | "already running"> {
  const pidFile = componentPidFile(config.home, app.name);
  const logFile = componentLogFile(config.home, app.name);
  const running = runningApp(pidFile, app.entry);
  if (running.pid !== null) return "already running";
  if (running.stalePid !== null) {
    removePidFile(pidFile);
    progress({
      kind: "note",
      label: app.name,
      message: `removed a stale pid file (pid ${running.stalePid} is not ${app.name})`,
    });
  }
  if (app.command) {
    if (!fs.existsSync(app.appDir))
      throw new StackError("STACK_APP_FAILED", `${app.name}: its folder ${app.appDir} (run.cwd) does not exist`);
  } else if (!fs.existsSync(app.entry))
    throw new StackError("STACK_APP_FAILED", `${app.name}: its entry point ${app.entry} does not exist`);
  for (const { port, variable } of [{ port: app.port, variable: app.portVariable }, ...(app.extraPorts ?? [])]) {
    await assertPortFree({ component: app.name, host: appHost(config, app), port, variable });
  }

  await app.beforeStart?.(progress);
  const logStart = fileSize(logFile);
  const child = spawnApp(config, app, logFile);
  writePidFile(pidFile, child.pid);
  if (app.command) recordApp(config.home, app.name, { entry: app.entry, appDir: app.appDir });
  const readyUrl = readyUrlOf(config, app);
  const readyTimeout = app.readyTimeoutMs ?? APP_READY_TIMEOUT;
  const deadline = Date.now() + readyTimeout;
  for (;;) {
    const exited = child.exit();
    if (exited) {
      await terminateProcessGroup(child.pid, APP_STOP_GRACE);
      removePidFile(pidFile);
      throw new StackError(
        "STACK_APP_FAILED",
        `${app.name} ${exited} before it was ready.\n${formatLogTail(logFile, logStart)}`,
      );
    }
    if (isSuccess(await httpStatus(readyUrl))) return "started";
    if (Date.now() >= deadline) {
      await terminateProcessGroup(child.pid, APP_STOP_GRACE);
      removePidFile(pidFile);
      throw new StackError(
        "STACK_APP_FAILED",
        `${app.name} did not answer GET ${readyUrl} with 2xx within ${readyTimeout / 1000} s; it was stopped.\n${formatLogTail(logFile, logStart)}`,
        { retriable: true },
      );
    }
    await sleep(APP_READY_POLL_INTERVAL);
  }
}

async function appStatus(config: StackConfig, app: NodeAppDefinition): Promise<ComponentStatus> {
  const url = httpBaseUrl(appHost(config, app), app.port);
  const log = componentLogFile(config.home, app.name);
  const running = runningApp(componentPidFile(config.home, app.name), app.entry);
  if (running.pid === null) {
    return {
      url,
      pid: null,
      healthy: false,
      log,
      state: "stopped",
      ...(running.stalePid !== null ? { detail: "stale pid file" } : {}),
    };
  }
  const healthy = isSuccess(await httpStatus(readyUrlOf(config, app)));
  const detail = healthy ? app.detail : "not ready";
  return { url, pid: running.pid, healthy, log, state: "running", ...(detail ? { detail } : {}) };
}

/** A stack component for any node app: detached process group, pid file, log file, /readyz. */
export function createNodeAppComponent(config: StackConfig, app: NodeAppDefinition): Component {
  return {
    name: app.name,
    start: (progress) => trackStep(progress, app.name, "starting", () => startApp(config, app, progress)),
    async stop() {
      const pidFile = componentPidFile(config.home, app.name);
      const running = runningApp(pidFile, app.entry);
      const outcome = running.pid === null ? "not running" : await terminateProcessGroup(running.pid, APP_STOP_GRACE);
      removePidFile(pidFile);
      if (app.command) forgetApp(config.home, app.name);
      return outcome;
    },
    status: () => appStatus(config, app),
  };
}
