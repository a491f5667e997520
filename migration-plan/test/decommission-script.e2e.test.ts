import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { streamSlotName } from "@strangler/cdc/src/slots";
import { type MigrationConfig, parseMigrationConfig, type ServiceConfig } from "@strangler/migration-config";
import pg from "pg";
import { createEmptyTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { decommissionCleanup, serviceLegacyTables } from "../src/plan/decommission/cleanup-script";
import { readLegacyCatalog } from "../src/plan/decommission/legacy-catalog";
import { runPsqlFile } from "./support/parity-fixture";

// The decommission cleanup scripts on a neutral fixture of their own: the service owns `members`
// and "Sales"."LineItem" (a two-column key of quoted mixed-case names, and a key of its own on
// members that goes with the tables); the monolith keeps `invoices` (foreign keys on both) and
// `audit_log` (untouched). The toolkit's slots and publications of the service's streams exist on
// both databases, with another service's beside them. The scripts written from the real catalog
// run with psql -v ON_ERROR_STOP=1, as their header says.

const LEGACY_SCHEMA = `
CREATE TABLE members (id bigint PRIMARY KEY, name text NOT NULL);
CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."LineItem" (
  "TenantId" integer NOT NULL,
  "OrderNo" text NOT NULL,
  member_id bigint REFERENCES members (id),
  PRIMARY KEY ("TenantId", "OrderNo")
);
CREATE TABLE invoices (
  id bigint PRIMARY KEY,
  member_id bigint CONSTRAINT invoices_member_fk REFERENCES members (id),
  tenant integer,
  order_no text,
  CONSTRAINT "Invoice_LineItem_fk" FOREIGN KEY (tenant, order_no) REFERENCES "Sales"."LineItem" ("TenantId", "OrderNo")
);
CREATE TABLE audit_log (id integer PRIMARY KEY, note text);
INSERT INTO members VALUES (1, 'Ada'), (2, 'Grace');
INSERT INTO "Sales"."LineItem" VALUES (1, 'A-1', 1), (1, 'A-2', 2);
INSERT INTO invoices VALUES (10, 1, 1, 'A-1'), (11, 2, 1, 'A-2');
INSERT INTO audit_log VALUES (1, 'kept');`;

const SERVICE_SCHEMA = `
CREATE TABLE member_profiles (member_id bigint PRIMARY KEY, name text);
CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."OrderLine" ("Tenant" integer, "OrderNo" text, member_id bigint, PRIMARY KEY ("Tenant", "OrderNo"));`;

const suffix = randomBytes(3).toString("hex");
const SERVICE = `ledger-members-${suffix}`;
const OTHER = `ledger-other-${suffix}`;

let legacy: TestDatabase;
let service: TestDatabase;
let legacyClient: pg.Client;
let serviceClient: pg.Client;
let config: MigrationConfig;
let dir: string;
let receiver: ChildProcess | undefined;

function fixtureConfig(): MigrationConfig {
  const yaml = [
    "version: 1",
    `legacy: { name: ledger, url: 'http://127.0.0.1:9', database: '${legacy.url}' }`,
    "proxy: { listen: { host: 127.0.0.1, port: 0 }, admin: { host: 127.0.0.1, port: 0 } }",
    "unleash: { url: 'http://127.0.0.1:9' }",
    "services:",
    `  - name: ${SERVICE}`,
    "    url: http://127.0.0.1:9",
    "    routes:",
    "      reads: [{ id: members-get, methods: [GET], path: '/members/:id' }]",
    "      writes: [{ id: members-put, methods: [PUT], path: '/members/:id' }]",
    "    data:",
    `      database: '${service.url}'`,
    "      reverse: true",
    "      tables:",
    "        - { source: members, target: member_profiles, key: { id: member_id } }",
    "        - { source: Sales.LineItem, target: Sales.OrderLine, key: { TenantId: Tenant, OrderNo: OrderNo } }",
    "",
  ].join("\n");
  return parseMigrationConfig(yaml, "decommission.config.yaml");
}

const slotsOf = async (client: pg.Client): Promise<string[]> =>
  (
    await client.query<{ slot_name: string }>(
      "SELECT slot_name FROM pg_replication_slots WHERE database = current_database() ORDER BY 1",
    )
  ).rows.map((row) => row.slot_name);
const publicationsOf = async (client: pg.Client): Promise<string[]> =>
  (await client.query<{ pubname: string }>("SELECT pubname FROM pg_publication ORDER BY 1")).rows.map((r) => r.pubname);
const tablesOf = async (client: pg.Client): Promise<string[]> =>
  (
    await client.query<{ t: string }>(
      "SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    )
  ).rows.map((row) => row.t);

async function createSlot(client: pg.Client, name: string, tables: string): Promise<void> {
  await client.query(`CREATE PUBLICATION "${name}" FOR TABLE ${tables}`);
  await client.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [name]);
}

async function writeScripts(): Promise<{ legacyFile: string; serviceFile: string; note: string; legacySql: string }> {
  const catalog = await readLegacyCatalog(
    legacyClient,
    serviceLegacyTables(config.services.find((s) => s.name === SERVICE) as ServiceConfig),
  );
  const cleanup = decommissionCleanup(config, SERVICE, catalog, new Date("2026-12-02T12:00:00Z"));
  const legacyFile = path.join(dir, "legacy.sql");
  const serviceFile = path.join(dir, "service.sql");
  fs.writeFileSync(legacyFile, cleanup.legacySql);
  fs.writeFileSync(serviceFile, cleanup.serviceSql);
  return { legacyFile, serviceFile, note: cleanup.configNote, legacySql: cleanup.legacySql };
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  [legacy, service] = await Promise.all([
    createEmptyTestDatabase("decom_legacy"),
    createEmptyTestDatabase("decom_service"),
  ]);
  legacyClient = new pg.Client({ connectionString: legacy.url });
  serviceClient = new pg.Client({ connectionString: service.url });
  await Promise.all([legacyClient.connect(), serviceClient.connect()]);
  await legacyClient.query(LEGACY_SCHEMA);
  await serviceClient.query(SERVICE_SCHEMA);
  config = fixtureConfig();
  await createSlot(legacyClient, streamSlotName(SERVICE, "embedded", "forward"), `members, "Sales"."LineItem"`);
  await createSlot(legacyClient, streamSlotName(OTHER, "embedded", "forward"), "audit_log");
  await createSlot(
    serviceClient,
    streamSlotName(SERVICE, "debezium", "reverse"),
    `member_profiles, "Sales"."OrderLine"`,
  );
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-decommission-"));
});

afterAll(async () => {
  if (receiver?.pid !== undefined && receiver.exitCode === null) receiver.kill("SIGTERM");
  // DROP DATABASE refuses a database that still has a logical slot: whatever a failed test left.
  for (const client of [legacyClient, serviceClient])
    await client
      ?.query(
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = current_database() AND NOT active",
      )
      .catch(() => undefined);
  await Promise.all([legacyClient?.end().catch(() => undefined), serviceClient?.end().catch(() => undefined)]);
  await Promise.all([legacy?.drop(), service?.drop()]);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("stops before dropping anything while a stream still holds one of the service's slots", async () => {
  const slot = streamSlotName(SERVICE, "embedded", "forward");
  receiver = spawn(
    "pg_recvlogical",
    [
      "-d",
      legacy.url,
      "--slot",
      slot,
      "--start",
      "-f",
      "/dev/null",
      "-o",
      "proto_version=1",
      "-o",
      `publication_names=${slot}`,
    ],
    { stdio: "ignore" },
  );
  const active = async () =>
    (await legacyClient.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active", [slot]))
      .rowCount === 1;
  await waitFor(active, `${slot} to be active`);
  const { legacyFile } = await writeScripts();
  const run = await runPsqlFile(legacy.url, legacyFile);
  expect(run.code).not.toBe(0);
  expect(run.output).toMatch(new RegExp(`replication slot\\(s\\) still in use: ${slot} \\(pid \\d+\\)`));
  expect(await tablesOf(legacyClient)).toEqual([
    "Sales.LineItem",
    "public.audit_log",
    "public.invoices",
    "public.members",
  ]);
  expect(await slotsOf(legacyClient)).toContain(slot);
  receiver.kill("SIGTERM");
  await waitFor(async () => !(await active()), `${slot} to be released`);
});

test("drops the service's legacy tables, the foreign keys on them and its slots and publications, nothing else", async () => {
  const { legacyFile, serviceFile, legacySql, note } = await writeScripts();
  expect(legacySql).toMatch(/-- Generated 2026-12-02T12:00:00\.000Z/);
  expect(legacySql).toMatch(
    /invoices\.Invoice_LineItem_fk → Sales\.LineItem: FOREIGN KEY \(tenant, order_no\) REFERENCES "Sales"\."LineItem"/,
  );
  // The key among the service's own tables goes with them, unnamed.
  expect(legacySql).not.toMatch(/LineItem_member_id_fkey/);
  expect(legacySql).toMatch(
    /invoices\.invoices_member_fk → members: FOREIGN KEY \(member_id\) REFERENCES members\(id\)/,
  );

  const legacyRun = await runPsqlFile(legacy.url, legacyFile);
  expect(legacyRun).toMatchObject({ code: 0 });
  expect(await tablesOf(legacyClient)).toEqual(["public.audit_log", "public.invoices"]);
  const constraints = await legacyClient.query<{ conname: string; contype: string }>(
    "SELECT conname, contype FROM pg_constraint WHERE conrelid = 'invoices'::regclass ORDER BY 1",
  );
  expect(constraints.rows).toEqual([{ conname: "invoices_pkey", contype: "p" }]);
  expect((await legacyClient.query("SELECT id, member_id, tenant, order_no FROM invoices ORDER BY id")).rows).toEqual([
    { id: "10", member_id: "1", tenant: 1, order_no: "A-1" },
    { id: "11", member_id: "2", tenant: 1, order_no: "A-2" },
  ]);
  expect((await legacyClient.query("SELECT note FROM audit_log")).rows).toEqual([{ note: "kept" }]);
  const other = streamSlotName(OTHER, "embedded", "forward");
  expect(await slotsOf(legacyClient)).toEqual([other]);
  expect(await publicationsOf(legacyClient)).toEqual([other]);

  const serviceRun = await runPsqlFile(service.url, serviceFile);
  expect(serviceRun).toMatchObject({ code: 0 });
  expect(await slotsOf(serviceClient)).toEqual([]);
  expect(await publicationsOf(serviceClient)).toEqual([]);
  expect(await tablesOf(serviceClient)).toEqual(["Sales.OrderLine", "public.member_profiles"]);

  // A second run finds everything gone and changes nothing.
  expect(await runPsqlFile(legacy.url, legacyFile)).toMatchObject({ code: 0 });
  expect(await runPsqlFile(service.url, serviceFile)).toMatchObject({ code: 0 });
  expect(await tablesOf(legacyClient)).toEqual(["public.audit_log", "public.invoices"]);

  expect(note).toMatch(new RegExp(`services\\[name=${SERVICE}\\]\\.routes`));
  expect(note).toMatch(/strangler\.members-get\.serve, strangler\.members-get\.shadow, strangler\.members-put\.serve/);
  expect(note).not.toContain(new URL(service.url).password || "\u0000");
});
