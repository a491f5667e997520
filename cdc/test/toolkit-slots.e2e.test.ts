import { randomBytes } from "node:crypto";
import path from "node:path";
import { loadMigrationConfig, type MigrationConfig } from "@strangler/migration-config";
import type { Client } from "pg";
import { type TestDatabase, createTestDatabase } from "../../stack/src/testing/test-database";
import { dropReplicationSlots } from "../../stack/src/testing/test-kafka";
import { freeLoopbackPort } from "../../stack/src/testing/unleash-test-process";
import { streamSlotName } from "../src/slots/slot-names";
import { listToolkitSlots } from "../src/slots/toolkit-slots";
import { findUnusedSlots } from "../src/slots/unused-slots";
import { connect } from "./support/embedded-source-fixture";

// The slot inventory (`strangler cdc slots`) and the unused-slot warnings (CDC process /status,
// `stack status`) against real PostgreSQL: slots made by hand under the names the transports use.
const EXAMPLE_CONFIG = path.join(__dirname, "..", "..", "migration-plan", "strangler.config.yaml");
/** Slot names are global to the server: a service name unique to this run. */
const SERVICE = `svc-${process.pid}-${randomBytes(3).toString("hex")}`;
const names = {
  embedded: streamSlotName(SERVICE, "embedded", "forward"),
  embeddedReverse: streamSlotName(SERVICE, "embedded", "reverse"),
  debezium: streamSlotName(SERVICE, "debezium", "forward"),
  debeziumReverse: streamSlotName(SERVICE, "debezium", "reverse"),
  stranger: `strangler_gone_${process.pid}_${randomBytes(3).toString("hex")}`,
};

let monolith: TestDatabase;
let service: TestDatabase;
let monolithClient: Client;
let serviceClient: Client;
let loaded: MigrationConfig;

/** The example config with the service renamed, on the test databases, with a password the test server ignores (trust). */
function config(
  transport: "embedded" | "debezium",
  reverse: boolean,
  serviceUrl = withPassword(service.url),
): MigrationConfig {
  return {
    ...loaded,
    legacy: { ...loaded.legacy, database: withPassword(monolith.url) },
    cdc: { ...loaded.cdc, transport },
    services: loaded.services.map((s) =>
      s.data ? { ...s, name: SERVICE, data: { ...s.data, database: serviceUrl, reverse } } : s,
    ),
  };
}

function withPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = "not-shown";
  return parsed.toString();
}

const createSlot = (client: Client, slot: string, publication = true) =>
  client
    .query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [slot])
    .then(() => (publication ? client.query(`CREATE PUBLICATION ${slot}`) : undefined));

beforeAll(async () => {
  [monolith, service] = await Promise.all([createTestDatabase("monolith"), createTestDatabase("users_service")]);
  [monolithClient, serviceClient] = await Promise.all([connect(monolith.url), connect(service.url)]);
  loaded = loadMigrationConfig(EXAMPLE_CONFIG, {});
  await createSlot(monolithClient, names.embedded);
  await createSlot(monolithClient, names.debezium);
  await createSlot(serviceClient, names.embeddedReverse);
  await createSlot(serviceClient, names.debeziumReverse, false);
  await createSlot(monolithClient, names.stranger);
  // A temporary slot (an added table's snapshot point) ends with its session: never listed.
  await monolithClient.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput', true)", [
    `${names.embedded}_add`,
  ]);
  // Some WAL behind the slots.
  await monolithClient.query(
    "CREATE TABLE wal_filler AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 2000) g",
  );
});

afterAll(async () => {
  await Promise.all([monolithClient.end(), serviceClient.end()]);
  await Promise.all([dropReplicationSlots(monolith.name), dropReplicationSlots(service.name)]);
  await Promise.all([monolith.drop(), service.drop()]);
});

describe("listToolkitSlots", () => {
  it("lists the slots and publications of both transports and directions, with retained WAL and whether the config uses them", async () => {
    const inventory = await listToolkitSlots(config("embedded", false));
    expect(inventory.unreachable).toEqual([]);
    const rows = inventory.slots.map((s) => ({
      name: s.name,
      transport: s.transport,
      direction: s.direction,
      service: s.service,
      database: s.database,
      slot: s.slot !== null,
      publication: s.publication,
      used: s.used,
    }));
    expect(rows).toEqual(
      expect.arrayContaining([
        {
          name: names.embedded,
          transport: "embedded",
          direction: "forward",
          service: SERVICE,
          database: monolith.name,
          slot: true,
          publication: true,
          used: true,
        },
        {
          name: names.debezium,
          transport: "debezium",
          direction: "forward",
          service: SERVICE,
          database: monolith.name,
          slot: true,
          publication: true,
          used: false,
        },
        {
          name: names.stranger,
          transport: "embedded",
          direction: "forward",
          service: null,
          database: monolith.name,
          slot: true,
          publication: true,
          used: false,
        },
        {
          name: names.embeddedReverse,
          transport: "embedded",
          direction: "reverse",
          service: SERVICE,
          database: service.name,
          slot: true,
          publication: true,
          used: false,
        },
        {
          name: names.debeziumReverse,
          transport: "debezium",
          direction: "reverse",
          service: SERVICE,
          database: service.name,
          slot: true,
          publication: false,
          used: false,
        },
      ]),
    );
    expect(rows).toHaveLength(5);
    const embedded = inventory.slots.find((s) => s.name === names.embedded);
    expect(embedded?.slot).toMatchObject({ active: false, activePid: null });
    expect(embedded?.slot?.retainedBytes).toBeGreaterThan(100_000);
    expect(embedded?.databaseUrl).toContain(":***@");
    expect(JSON.stringify(inventory)).not.toContain("not-shown");
  });

  it("follows the transport and the reverse flag of the config", async () => {
    const used = async (transport: "embedded" | "debezium", reverse: boolean) =>
      (await listToolkitSlots(config(transport, reverse))).slots
        .filter((s) => s.used)
        .map((s) => s.name)
        .sort();
    expect(await used("debezium", true)).toEqual([names.debezium, names.debeziumReverse].sort());
    expect(await used("embedded", true)).toEqual([names.embedded, names.embeddedReverse].sort());
  });

  it("lists what it can read when a database is unreachable, and says which one it could not", async () => {
    const closed = `postgresql://postgres:not-shown@127.0.0.1:${await freeLoopbackPort()}/nowhere`;
    const inventory = await listToolkitSlots(config("embedded", false, closed));
    expect(inventory.unreachable).toEqual([
      {
        databaseUrl: expect.stringContaining(":***@127.0.0.1"),
        error: expect.stringContaining("cannot connect to the"),
      },
    ]);
    expect(inventory.slots.map((s) => s.name)).toContain(names.embedded);
    expect(JSON.stringify(inventory)).not.toContain("not-shown");
  });
});

describe("findUnusedSlots", () => {
  it("warns about every slot the config does not use, with its retained WAL and the statements that drop it", async () => {
    const { unused } = await findUnusedSlots(config("embedded", false));
    expect(unused.map((u) => u.slot).sort()).toEqual(
      [names.debezium, names.stranger, names.embeddedReverse, names.debeziumReverse].sort(),
    );
    const warning = (slot: string) => unused.find((u) => u.slot === slot)?.warning ?? "";
    expect(warning(names.embeddedReverse)).toContain(
      `the reverse stream of ${SERVICE} is off (data.reverse: false), but its replication slot ${names.embeddedReverse}`,
    );
    expect(warning(names.embeddedReverse)).toContain("Turn reverse back on, or drop the slot");
    expect(warning(names.debezium)).toContain(
      `cdc.transport is "embedded", but the Debezium connector's replication slot ${names.debezium} (the forward stream of ${SERVICE})`,
    );
    expect(warning(names.debezium)).toMatch(/keeps \d+(\.\d)? [KMG]?i?B of WAL from being recycled/);
    expect(warning(names.debezium)).toContain("`npm run stack -- up` retires the connector");
    expect(warning(names.stranger)).toContain(`replication slot ${names.stranger} in `);
    expect(warning(names.stranger)).toContain("no stream of the migration config uses it");
    for (const { slot, warning: text } of unused)
      expect(text).toContain(`SELECT pg_drop_replication_slot('${slot}'); DROP PUBLICATION IF EXISTS ${slot};`);
    expect(JSON.stringify(unused)).not.toContain("not-shown");
  });

  it("on the Debezium transport warns about the embedded source's slots, and about the Debezium reverse slot once reverse is off", async () => {
    const { unused } = await findUnusedSlots(config("debezium", false));
    const embedded = unused.find((u) => u.slot === names.embedded)?.warning ?? "";
    expect(embedded).toContain(
      `cdc.transport is "debezium", but the embedded source's replication slot ${names.embedded}`,
    );
    expect(embedded).toContain("`npm run stack -- up` drops it once no CDC process reads it");
    expect(unused.find((u) => u.slot === names.debeziumReverse)?.warning).toContain(
      `the reverse stream of ${SERVICE} is off (data.reverse: false), but the Debezium reverse connector's replication slot ${names.debeziumReverse}`,
    );
    expect(unused.map((u) => u.slot)).not.toContain(names.debezium);
  });
});
