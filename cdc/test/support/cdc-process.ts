import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { keepOneService } from "@strangler/migration-config/src/testing/keep-one-service";
import { type CdcStatusDocument, cdcStatusSchema, parseOpsDocument } from "@strangler/ops-contract";
import { freeLoopbackPort } from "../../../stack/src/testing/unleash-test-process";

const ROOT = path.join(__dirname, "..", "..", "..");
const MAIN = path.join(ROOT, "cdc", "src", "main.ts");
const WATCHDOG = path.join(ROOT, "stack", "src", "testing", "parent-watchdog.cjs");
const EXAMPLE_CONFIG = path.join(ROOT, "migration-plan", "strangler.config.yaml");

/**
 * A copy of the example migration config for one test with only its users service (the one these
 * tests stream): renamed to `serviceName`, so the stream's slots (`strangler_<service>`, `…_reverse`)
 * and the sinks' replication origins (cluster-wide objects) do not collide with other test files, and
 * `reverse` as given. The example's other services are left out: their databases do not exist here.
 */
export function writeMigrationConfig(file: string, serviceName: string, reverse: boolean): void {
  const example = readFileSync(EXAMPLE_CONFIG, "utf8");
  const users = keepOneService(example, "users-service", EXAMPLE_CONFIG);
  if (!/^ {6}reverse: false$/m.test(users))
    throw new Error(`${EXAMPLE_CONFIG} changed: no reverse: false line in users-service`);
  writeFileSync(
    file,
    users
      .replace(/^( {2}- name: )users-service$/m, `$1${serviceName}`)
      .replace(/^( {6})reverse: false$/m, `$1reverse: ${reverse}`),
  );
}

/** A service name unique to this test run ("users-k9-1a2b3c"). */
export function uniqueServiceName(tag: string): string {
  return `users-${tag}-${randomBytes(3).toString("hex")}`;
}

export interface CdcProcess {
  readonly base: string;
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr (pino JSON lines). */
  output(): string;
  exited: Promise<number | null>;
  /** kill -9 of its whole process group; resolves once it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM; resolves with the exit code (null when it had to be killed after `graceMs`). */
  terminate(graceMs?: number): Promise<number | null>;
  /** GET /status, checked against the operations contract (a document of another shape fails the test). */
  status(): Promise<CdcStatusDocument | null>;
  ready(): Promise<boolean>;
  /** Waits until /readyz answers 200; the error carries the process output. */
  waitReady(timeoutMs?: number): Promise<void>;
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return { status: response.status, body: await response.json() };
  } catch {
    return { status: 0, body: null };
  }
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * Starts the CDC process (`node --import tsx cdc/src/main.ts`) in its own process group, as the stack
 * does, with the databases given through the environment variables of the example config.
 */
export async function startCdcProcess(options: {
  config: string;
  monolithUrl: string;
  serviceUrl: string;
  port?: number;
  logLevel?: string;
}): Promise<CdcProcess> {
  const port = options.port ?? (await freeLoopbackPort());
  let output = "";
  const child = spawn(process.execPath, ["--require", WATCHDOG, "--import", "tsx", MAIN], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      STRANGLER_CONFIG: options.config,
      STRANGLER_CDC_HOST: "127.0.0.1",
      STRANGLER_CDC_PORT: String(port),
      LOG_LEVEL: options.logLevel ?? "info",
      STRANGLER_MONOLITH_DATABASE_URL: options.monolithUrl,
      STRANGLER_USERS_SERVICE_DATABASE_URL: options.serviceUrl,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const process_: CdcProcess = {
    base,
    child,
    output: () => output,
    exited,
    async kill9() {
      if (isRunning(child) && child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
      }
      await exited;
    },
    async terminate(graceMs = 20_000) {
      if (!isRunning(child)) return child.exitCode;
      child.kill("SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        exited,
        new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), graceMs))),
      ]);
      clearTimeout(timer);
      if (code !== "timeout") return code;
      await process_.kill9();
      return null;
    },
    async status() {
      const { status, body } = await getJson(`${base}/status`);
      return status === 200
        ? parseOpsDocument(cdcStatusSchema, body, { document: "the CDC status", source: `GET ${base}/status` })
        : null;
    },
    async ready() {
      return (await getJson(`${base}/readyz`)).status === 200;
    },
    async waitReady(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(await process_.ready())) {
        if (!isRunning(child))
          throw new Error(
            `the CDC process exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`,
          );
        if (Date.now() > deadline) throw new Error(`the CDC process was not ready within ${timeoutMs} ms:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
  return process_;
}
