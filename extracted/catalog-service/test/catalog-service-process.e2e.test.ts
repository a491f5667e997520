import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import type { TestDatabase } from "../../../stack/src/testing/test-database";
import { freeLoopbackPort } from "../../../stack/src/testing/unleash-test-process";
import { createPrismaClient } from "../src/db/prisma-client";
import { createCatalogTestDatabase } from "./support/catalog-test-database";

// The service as the stack runs it: its main in a process of its own, configured by PORT and
// DATABASE_URL only, stopped with SIGTERM.
const APP_DIR = path.join(__dirname, "..");
const WATCHDOG = path.join(APP_DIR, "..", "..", "stack", "src", "testing", "parent-watchdog.cjs");
const ITEM_ID = "00000000-0000-4000-8000-0000000000c1";

let db: TestDatabase;
let child: ChildProcess | undefined;
let output = "";

function startService(env: NodeJS.ProcessEnv): { child: ChildProcess; exited: Promise<number | null> } {
  output = "";
  const started = spawn(process.execPath, ["--require", WATCHDOG, "--import", "tsx", "src/main.ts"], {
    cwd: APP_DIR,
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  started.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child: started, exited: new Promise((resolve) => started.once("exit", (code) => resolve(code))) };
}

/** Polls until the service answers /healthz, or fails with its output once it exited or the deadline passed. */
async function untilHealthy(base: string, running: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${base}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    if (running.exitCode !== null || Date.now() > deadline)
      throw new Error(`catalog-service did not become healthy:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  db = await createCatalogTestDatabase();
  const prisma = createPrismaClient(db.url);
  await prisma.catalogItem.create({
    data: {
      itemId: ITEM_ID,
      itemCode: "MUG-001",
      title: "Blue Mug",
      priceAmount: 899,
      unitsInStock: 12,
      listedAt: new Date("2026-01-15T09:00:00.000Z"),
      updatedAt: new Date("2026-01-15T09:00:00.000Z"),
    },
  });
  await prisma.$disconnect();
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await db?.drop();
});

test("starts on PORT with DATABASE_URL, serves the product reads and its probes, logs JSON, and exits 0 on SIGTERM", async () => {
  const port = await freeLoopbackPort();
  const base = `http://127.0.0.1:${port}`;
  const started = startService({ PORT: String(port), DATABASE_URL: db.url });
  child = started.child;
  await untilHealthy(base, child);

  const product = await fetch(`${base}/api/products/${ITEM_ID}`);
  expect(product.status).toBe(200);
  expect(await product.json()).toEqual({
    id: ITEM_ID,
    sku: "MUG-001",
    name: "Blue Mug",
    description: "",
    priceCents: 899,
    stock: 12,
    createdAt: "2026-01-15T09:00:00.000Z",
    updatedAt: "2026-01-15T09:00:00.000Z",
  });
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
  expect(await (await fetch(`${base}/metrics`)).text()).toContain('route="/api/products/:id"');

  child.kill("SIGTERM");
  expect(await started.exited).toBe(0);
  const listening = output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { msg?: string; app?: string; port?: number })
    .find((line) => line.msg === "listening");
  expect(listening).toMatchObject({ app: "catalog-service", port });
});

test("refuses to start without DATABASE_URL, naming the setting", async () => {
  const started = startService({ PORT: "0", DATABASE_URL: "" });
  child = started.child;
  expect(await started.exited).toBe(1);
  expect(output).toContain("catalog-service failed to start: catalog-service: invalid environment: DATABASE_URL");
});
