import { randomBytes } from "node:crypto";
import path from "node:path";
import { streamSlotName } from "@strangler/cdc/src/slots";
import { loadMigrationConfig, type MigrationConfig } from "@strangler/migration-config";
import { loadTestStackConfig } from "../config/stack-config";
import { withPgClient } from "../postgres/pg-client";
import type { ProgressEvent } from "../stack/progress";
import { holdSlot, slotAndPublication } from "../testing/hold-slot";
import { type TestDatabase, createTestDatabase } from "../testing/test-database";
import { dropReplicationSlots } from "../testing/test-kafka";
import { freeLoopbackPort } from "../testing/unleash-test-process";
import { unusedSlotWarnings } from "./slot-warnings";
import { retireOtherTransport } from "./transport-switch";

// Switching the CDC transport: before the stack starts the CDC process on one transport, the other
// transport's slots and publications of the config's services are retired (real PostgreSQL; no
// Connect worker answers here, the connector path is reconcileConnectors, tested with a real one).
const EXAMPLE = path.join(__dirname, "..", "..", "..", "migration-plan", "strangler.config.yaml");
const SERVICE = `switch-${process.pid}-${randomBytes(3).toString("hex")}`;
const slots = {
  embedded: streamSlotName(SERVICE, "embedded", "forward"),
  embeddedReverse: streamSlotName(SERVICE, "embedded", "reverse"),
  debezium: streamSlotName(SERVICE, "debezium", "forward"),
  debeziumReverse: streamSlotName(SERVICE, "debezium", "reverse"),
};

let monolith: TestDatabase;
let service: TestDatabase;
let loaded: MigrationConfig;
const holders: Array<() => Promise<void>> = [];

/** The example's first service with data, renamed to this test's own, as the config's only service. */
function migration(transport: "embedded" | "debezium"): MigrationConfig {
  const picked = loaded.services.find((s) => s.data);
  if (!picked?.data) throw new Error("the example config has no service with a data section");
  return {
    ...loaded,
    legacy: { ...loaded.legacy, database: monolith.url },
    cdc: { ...loaded.cdc, transport },
    services: [{ ...picked, name: SERVICE, data: { ...picked.data, database: service.url, reverse: true } }],
  };
}

async function createSlot(url: string, name: string): Promise<void> {
  await withPgClient(url, async (client) => {
    await client.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [name]);
    await client.query(`CREATE PUBLICATION ${name}`);
  });
}

/** A stack config whose Connect port nothing answers on. */
async function stackConfig() {
  return { ...loadTestStackConfig(), connectPort: await freeLoopbackPort() };
}

function recorder(): { notes: string[]; progress: (event: ProgressEvent) => void } {
  const notes: string[] = [];
  return { notes, progress: (event) => void (event.kind === "note" && notes.push(event.message)) };
}

beforeAll(async () => {
  [monolith, service] = await Promise.all([createTestDatabase("monolith"), createTestDatabase("users_service")]);
  loaded = loadMigrationConfig(EXAMPLE, {});
});

afterAll(async () => {
  for (const release of holders) await release();
  await Promise.all([dropReplicationSlots(monolith.name), dropReplicationSlots(service.name)]);
  await Promise.all([monolith.drop(), service.drop()]);
});

test("starting CDC on debezium drops the embedded slots and publications of both directions, and says so", async () => {
  await createSlot(monolith.url, slots.embedded);
  await createSlot(service.url, slots.embeddedReverse);
  await createSlot(monolith.url, slots.debezium);
  const config = await stackConfig();
  expect(await unusedSlotWarnings(config, migration("debezium"))).toEqual([
    expect.stringContaining(`the embedded source's replication slot ${slots.embedded}`),
    expect.stringContaining(`the embedded source's replication slot ${slots.embeddedReverse}`),
  ]);

  const { notes, progress } = recorder();
  await retireOtherTransport(config, progress, migration("debezium"));
  expect(await slotAndPublication(monolith.url, slots.embedded, slots.embedded)).toEqual({
    slot: false,
    publication: false,
  });
  expect(await slotAndPublication(service.url, slots.embeddedReverse, slots.embeddedReverse)).toEqual({
    slot: false,
    publication: false,
  });
  // The transport in use keeps its slot.
  expect(await slotAndPublication(monolith.url, slots.debezium, slots.debezium)).toEqual({
    slot: true,
    publication: true,
  });
  expect(notes).toEqual([
    `retired the embedded transport's replication slot ${slots.embedded} and publication ${slots.embedded} in ${monolith.name} (cdc.transport is "debezium"; they would retain WAL)`,
    `retired the embedded transport's replication slot ${slots.embeddedReverse} and publication ${slots.embeddedReverse} in ${service.name} (cdc.transport is "debezium"; they would retain WAL)`,
  ]);
  expect(await unusedSlotWarnings(config, migration("debezium"))).toEqual([]);

  // Nothing left to retire: silent.
  const again = recorder();
  await retireOtherTransport(config, again.progress, migration("debezium"));
  expect(again.notes).toEqual([]);
});

test("starting CDC on embedded drops the Debezium slots once no one reads them, and leaves one in use with a note", async () => {
  await createSlot(service.url, slots.debeziumReverse);
  const holder = await holdSlot(monolith.url, slots.debezium, slots.debezium);
  holders.push(holder.release);
  const config = await stackConfig();

  const { notes, progress } = recorder();
  await retireOtherTransport(config, progress, migration("embedded"));
  expect(await slotAndPublication(service.url, slots.debeziumReverse, slots.debeziumReverse)).toEqual({
    slot: false,
    publication: false,
  });
  expect(await slotAndPublication(monolith.url, slots.debezium, slots.debezium)).toEqual({
    slot: true,
    publication: true,
  });
  expect(notes).toEqual([
    expect.stringMatching(
      new RegExp(
        `^warning: could not retire the Debezium transport's replication slot ${slots.debezium}: .*still in use \\(pid ${holder.pid}\\).*pg_drop_replication_slot`,
      ),
    ),
    `retired the Debezium transport's replication slot ${slots.debeziumReverse} and publication ${slots.debeziumReverse} in ${service.name} (cdc.transport is "embedded"; they would retain WAL)`,
  ]);

  // Released (its reader stopped), the next start retires it.
  await holder.release();
  await retireOtherTransport(config, recorder().progress, migration("embedded"));
  expect(await slotAndPublication(monolith.url, slots.debezium, slots.debezium)).toEqual({
    slot: false,
    publication: false,
  });
}, 30_000);
