import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { keepOneService } from "@strangler/migration-config/src/testing/keep-one-service";
import type { Client } from "pg";
import { type TestDatabase, createTestDatabase } from "../../stack/src/testing/test-database";
import { cdcReverseSlotName, cdcSlotName } from "../src/stream/cdc-stream";
import {
  connect,
  dropReplicationOrigin,
  dropSlotsWithPublications,
  eventually,
} from "./support/embedded-source-fixture";

// The CDC process (cdc/src/main.ts) with `reverse: true` in the example config: it runs both streams
// under their default names and lists both on /status.
const ROOT = path.join(__dirname, "..", "..");
const EXAMPLE_CONFIG = path.join(ROOT, "migration-plan", "strangler.config.yaml");
const SLOTS = { forward: cdcSlotName("users-service"), reverse: cdcReverseSlotName("users-service") };
const ORIGINS = ["strangler_sink_monolith_to_users_service", "strangler_sink_users_service_to_monolith"];

let monolith: TestDatabase;
let service: TestDatabase;
let monolithClient: Client;
let serviceClient: Client;
let dir: string;
let child: ChildProcess | null = null;
let exited: Promise<number | null> = Promise.resolve(null);
let stderr = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return { status: response.status, body: await response.json() };
  } catch {
    return { status: 0, body: null };
  }
}

beforeAll(async () => {
  [monolith, service] = await Promise.all([createTestDatabase("monolith"), createTestDatabase("users_service")]);
  [monolithClient, serviceClient] = await Promise.all([connect(monolith.url), connect(service.url)]);
  dir = mkdtempSync(path.join(os.tmpdir(), "strangler-cdc-two-way-"));
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill("SIGKILL");
    await exited;
  }
  await dropSlotsWithPublications(monolithClient, [SLOTS.forward]);
  await dropSlotsWithPublications(serviceClient, [SLOTS.reverse]);
  for (const origin of ORIGINS) await dropReplicationOrigin(serviceClient, origin);
  await Promise.all([monolithClient.end(), serviceClient.end()]);
  await Promise.all([monolith.drop(), service.drop()]);
  rmSync(dir, { recursive: true, force: true });
});

test("with reverse: true the CDC process runs both streams, lists both on /status and stops cleanly on SIGTERM", async () => {
  // The users service only: the example's other services' databases do not exist here.
  const example = keepOneService(readFileSync(EXAMPLE_CONFIG, "utf8"), "users-service", EXAMPLE_CONFIG);
  expect(example).toMatch(/^ {6}reverse: false$/m);
  const config = path.join(dir, "strangler.config.yaml");
  writeFileSync(config, example.replace(/^( {6})reverse: false$/m, "$1reverse: true"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;

  child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "cdc", "src", "main.ts")], {
    cwd: ROOT,
    env: {
      ...process.env,
      STRANGLER_CONFIG: config,
      STRANGLER_CDC_HOST: "127.0.0.1",
      STRANGLER_CDC_PORT: String(port),
      LOG_LEVEL: "warn",
      STRANGLER_MONOLITH_DATABASE_URL: monolith.url,
      STRANGLER_USERS_SERVICE_DATABASE_URL: service.url,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const running = child;
  running.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  exited = new Promise((resolve) => running.once("exit", (code) => resolve(code)));

  await eventually(
    "the CDC process is ready (both streams streaming)",
    async () => (await getJson(`${base}/readyz`)).status === 200,
    60_000,
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\nstderr: ${stderr}`);
  });
  const status = (await getJson(`${base}/status`)).body as { streams: Array<{ direction: string; phase: string }> };
  expect(status.streams.map((stream) => [stream.direction, stream.phase])).toEqual([
    ["monolith-to-users-service", "streaming"],
    ["users-service-to-monolith", "streaming"],
  ]);

  // The reverse stream is live: a profile written in the service reaches the monolith's users.
  const id = randomUUID();
  await serviceClient.query(
    "INSERT INTO user_profiles (user_id, email_address, first_name, last_name, updated_at) VALUES ($1, $2, 'Katherine', 'Johnson', now())",
    [id, `k-${id}@example.test`],
  );
  await eventually(
    "the service's profile in the monolith",
    async () =>
      (await monolithClient.query("SELECT 1 FROM users WHERE id = $1 AND name = 'Katherine Johnson'", [id]))
        .rowCount === 1,
    15_000,
  );

  running.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    exited,
    new Promise<string>((resolve) => (timer = setTimeout(() => resolve("still running after 20 s"), 20_000))),
  ]);
  clearTimeout(timer);
  expect(code).toBe(0);
}, 120_000);
