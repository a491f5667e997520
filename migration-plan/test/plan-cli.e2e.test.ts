import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPgPlanStore } from "@strangler/toolkit-store";
import pino from "pino";
import { createEmptyTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { runStrangler } from "./support/parity-fixture";

// `strangler plan status` on a real toolkit database: a plan not started is shown at its first step
// with the monolith owning every table; a transition written by the plan store is what it shows next.
let toolkit: TestDatabase;
let dir: string;
let config: string;

beforeAll(async () => {
  toolkit = await createEmptyTestDatabase("plan_cli");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-plan-cli-"));
  config = path.join(dir, "strangler.config.yaml");
  fs.writeFileSync(
    config,
    [
      "version: 1",
      "legacy: { name: ledger, url: 'http://127.0.0.1:9', database: 'postgresql://u@127.0.0.1:9/ledger' }",
      "unleash: { url: 'http://127.0.0.1:9' }",
      "services:",
      "  - name: accounts",
      "    url: http://127.0.0.1:9",
      "    routes:",
      "      reads: [{ id: accounts-get, methods: [GET], path: '/accounts/:id' }]",
      "      writes: [{ id: accounts-patch, methods: [PATCH], path: '/accounts/:id' }]",
      "    data:",
      "      database: 'postgresql://u@127.0.0.1:9/accounts'",
      "      tables: [{ source: accounts, target: account_profiles }]",
      `toolkit: { database: '${toolkit.url}' }`,
    ].join("\n"),
  );
});

afterAll(async () => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await toolkit?.drop();
});

test("plan status shows a plan not started at its first step, then the step a transition stored", async () => {
  const before = await runStrangler(["plan", "status", "--config", config, "--json"], dir);
  expect(before.code).toBe(0);
  const [fresh] = (JSON.parse(before.stdout) as { services: Array<Record<string, unknown>> }).services;
  expect(fresh).toMatchObject({
    service: "accounts",
    state: null,
    effective: { step: "prepare", stage: 0, status: "idle", owners: { accounts: "legacy" } },
  });

  const store = createPgPlanStore(toolkit.url, { logger: pino({ level: "silent" }) });
  try {
    await store.transition(
      "accounts",
      0,
      {
        step: "canary-reads",
        stage: 2,
        status: "in_progress",
        owners: { accounts: "legacy" },
        enteredAt: null,
        sync: null,
        pending: null,
      },
      { actor: "test", action: "advance", message: "to 50 % of reads", gates: [] },
    );
  } finally {
    await store.close();
  }
  const after = await runStrangler(["plan", "status", "--config", config], dir);
  expect(after.code).toBe(0);
  expect(after.stdout).toContain("accounts  step 5/7: canary reads (50 % of reads), in progress");
  expect(after.stdout).toContain("writes owned by: accounts → legacy");

  const wrong = await runStrangler(["plan", "status", "--config", config, "--service", "billing"], dir);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toMatch(/no service "billing"/);
});
