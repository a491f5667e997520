import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { SyncDirections } from "@strangler/ops-contract";
import { createPgPlanStore, type PlanStore } from "@strangler/toolkit-store";
import type { Client } from "pg";
import pino from "pino";
import { type TestDatabase, createEmptyTestDatabase } from "../../stack/src/testing/test-database";
import { slotExists } from "../src/embedded-source/source-setup";
import { cdcReverseSlotName, cdcSlotName } from "../src/stream/cdc-stream";
import { type CdcProcess, startCdcProcess, uniqueServiceName } from "./support/cdc-process";
import {
  connect,
  dropReplicationOrigin,
  dropSlotsWithPublications,
  eventually,
} from "./support/embedded-source-fixture";

// The CDC process follows the plan's directions (ADR 0019) on a neutral fixture schema of its own:
// a legacy `items` table and the service's `stock_items`. The plan state in a real toolkit database
// turns the reverse stream on, makes the forward stream watch (legacy writes are violations, kept in
// the dead letters; the service's writes still reach legacy), then goes back to apply without reverse.
const SERVICE = uniqueServiceName("dir");
const SLOTS = { forward: cdcSlotName(SERVICE), reverse: cdcReverseSlotName(SERVICE) };
const suffix = SERVICE.replace(/[^A-Za-z0-9_]/g, "_");
const ORIGINS = [`strangler_sink_legacy_to_${suffix}`, `strangler_sink_${suffix}_to_legacy`];
const FORWARD = `legacy-to-${SERVICE}`;
const REVERSE = `${SERVICE}-to-legacy`;

let legacy: TestDatabase;
let service: TestDatabase;
let toolkit: TestDatabase;
let legacyClient: Client;
let serviceClient: Client;
let plan: PlanStore;
let dir: string;
let cdc: CdcProcess | undefined;

beforeAll(async () => {
  [legacy, service, toolkit] = await Promise.all([
    createEmptyTestDatabase("dir_legacy"),
    createEmptyTestDatabase("dir_service"),
    createEmptyTestDatabase("dir_toolkit"),
  ]);
  [legacyClient, serviceClient] = await Promise.all([connect(legacy.url), connect(service.url)]);
  await legacyClient.query("CREATE TABLE items (id integer PRIMARY KEY, label text NOT NULL)");
  await serviceClient.query("CREATE TABLE stock_items (item_id integer PRIMARY KEY, item_label text NOT NULL)");
  await legacyClient.query("INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three')");
  plan = createPgPlanStore(toolkit.url, { logger: pino({ level: "silent" }) });
  dir = mkdtempSync(path.join(os.tmpdir(), "strangler-cdc-directions-"));
});

afterAll(async () => {
  await cdc?.kill9();
  await plan?.close();
  await dropSlotsWithPublications(legacyClient, [SLOTS.forward]);
  await dropSlotsWithPublications(serviceClient, [SLOTS.reverse]);
  for (const origin of ORIGINS) await dropReplicationOrigin(serviceClient, origin);
  await Promise.all([legacyClient.end(), serviceClient.end()]);
  await Promise.all([legacy.drop(), service.drop(), toolkit.drop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** The migration config: the config alone would run the forward stream only (reverse: false). */
function writeConfig(file: string): void {
  writeFileSync(
    file,
    `version: 1
legacy: { name: legacy, url: "http://127.0.0.1:9", database: "${legacy.url}" }
unleash: { url: "http://127.0.0.1:9" }
services:
  - name: ${SERVICE}
    url: http://127.0.0.1:9
    routes: { reads: [{ id: items-list, methods: [GET], path: /api/items }] }
    data:
      database: "${service.url}"
      reverse: false
      tables: [{ source: items, target: stock_items, key: { id: item_id }, columns: { label: item_label } }]
toolkit: { database: "${toolkit.url}" }
`,
  );
}

/** Writes the next plan state of the service with `sync`; returns its version. */
async function directs(sync: SyncDirections): Promise<number> {
  const current = await plan.state(SERVICE);
  const next = await plan.transition(
    SERVICE,
    current?.version ?? 0,
    {
      step: "switch-writes",
      stage: 0,
      status: "in_progress",
      owners: { items: "legacy" },
      enteredAt: null,
      sync,
      pending: null,
    },
    { actor: "cdc-process-plan-directions test", action: "directs", message: JSON.stringify(sync), gates: [] },
  );
  return next.version;
}

/** Waits until /status shows `version` in force for the service; returns the document. */
async function inForce(version: number) {
  await eventually(
    `plan version ${version} in force`,
    async () => (await cdc?.status())?.plan?.find((entry) => entry.service === SERVICE)?.version === version,
    30_000,
  );
  const status = await cdc?.status();
  if (!status) throw new Error("no /status");
  return status;
}

async function rows(client: Client, sql: string): Promise<Record<string, string>> {
  const result = await client.query<{ id: number; label: string }>(sql);
  return Object.fromEntries(result.rows.map((row) => [String(row.id), row.label]));
}
const legacyRows = () => rows(legacyClient, "SELECT id, label FROM items ORDER BY id");
const serviceRows = () =>
  rows(serviceClient, "SELECT item_id AS id, item_label AS label FROM stock_items ORDER BY item_id");

test("the reverse stream starts and stops, and the forward stream applies and watches, as the plan directs", async () => {
  const config = path.join(dir, "strangler.config.yaml");
  writeConfig(config);

  // 1. {apply, reverse}: both streams run; a service-side write reaches legacy.
  const v1 = await directs({ forward: "apply", reverse: true });
  cdc = await startCdcProcess({ config, monolithUrl: legacy.url, serviceUrl: service.url });
  await cdc.waitReady();
  let status = await inForce(v1);
  expect(status.plan).toEqual([
    { service: SERVICE, version: v1, sync: { forward: "apply", reverse: true }, appliedAt: expect.any(Number) },
  ]);
  expect(status.streams.map((s) => [s.direction, s.phase, s.mode])).toEqual([
    [FORWARD, "streaming", "apply"],
    [REVERSE, "streaming", "apply"],
  ]);
  await serviceClient.query("INSERT INTO stock_items VALUES (100, 'service 100')");
  await eventually("the service's write in legacy", async () => (await legacyRows())["100"] === "service 100", 15_000);

  // 2. {watch, reverse}: a legacy write is a violation, kept and not applied; the service's writes still cross.
  const v2 = await directs({ forward: "watch", reverse: true });
  status = await inForce(v2);
  expect(status.streams.find((s) => s.direction === FORWARD)).toMatchObject({
    mode: "watch",
    violations: 0,
    lastViolationAt: null,
  });
  await legacyClient.query("INSERT INTO items VALUES (200, 'legacy 200')");
  await legacyClient.query("UPDATE items SET label = 'legacy changed' WHERE id = 1");
  await serviceClient.query("INSERT INTO stock_items VALUES (101, 'service 101')");
  await serviceClient.query("UPDATE stock_items SET item_label = 'service changed' WHERE item_id = 2");
  await eventually(
    "the service's writes in legacy",
    async () => {
      const now = await legacyRows();
      return now["101"] === "service 101" && now["2"] === "service changed";
    },
    15_000,
  );
  await eventually(
    "two violations on /status",
    async () => (await cdc?.status())?.streams.find((s) => s.direction === FORWARD)?.violations === 2,
    15_000,
  );
  // The reverse sink's writes to legacy (101, 2) are echoes, not violations: the count stays at 2.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const forward = (await cdc.status())?.streams.find((s) => s.direction === FORWARD);
  expect(forward).toMatchObject({ mode: "watch", violations: 2, lastViolationAt: expect.any(Number) });
  const letters = await serviceClient.query<{ source_table: string; row_key: string; kind: string; reason: string }>(
    "SELECT source_table, row_key, kind, reason FROM strangler_cdc.dead_letters WHERE direction = $1 ORDER BY id",
    [FORWARD],
  );
  expect(letters.rows.map((row) => [row.source_table, row.row_key, row.kind])).toEqual([
    ["items", "200", "violation"],
    ["items", "1", "violation"],
  ]);
  expect(letters.rows.map((row) => row.reason.split(":")[0])).toEqual(["write violation", "write violation"]);
  expect(await serviceRows()).toEqual({
    "1": "one",
    "2": "service changed",
    "3": "three",
    "100": "service 100",
    "101": "service 101",
  });

  // 3. Back to {apply, no reverse}: the forward stream applies again, the reverse stream stops (slot dropped).
  const v3 = await directs({ forward: "apply", reverse: false });
  status = await inForce(v3);
  expect(status.streams.map((s) => [s.direction, s.mode])).toEqual([[FORWARD, "apply"]]);
  await eventually("the reverse slot dropped", async () => !(await slotExists(serviceClient, SLOTS.reverse)), 10_000);
  await legacyClient.query("INSERT INTO items VALUES (300, 'legacy 300')");
  await serviceClient.query("INSERT INTO stock_items VALUES (102, 'service 102')");
  await eventually(
    "the legacy write in the service",
    async () => (await serviceRows())["300"] === "legacy 300",
    15_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 2_000));

  // End states, key by key: the violations (200, 1) stay out of the service (kept in the dead
  // letters for the operator), the service's write after the reverse stream stopped (102) stays out of legacy.
  expect(await legacyRows()).toEqual({
    "1": "legacy changed",
    "2": "service changed",
    "3": "three",
    "100": "service 100",
    "101": "service 101",
    "200": "legacy 200",
    "300": "legacy 300",
  });
  expect(await serviceRows()).toEqual({
    "1": "one",
    "2": "service changed",
    "3": "three",
    "100": "service 100",
    "101": "service 101",
    "102": "service 102",
    "300": "legacy 300",
  });
  expect((await cdc.status())?.streams.find((s) => s.direction === FORWARD)?.violations).toBe(2);
  expect(await cdc.terminate()).toBe(0);
}, 180_000);
