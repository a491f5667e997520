import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadMigrationConfig, type MigrationConfig } from "@strangler/migration-config";
import { withPgClient } from "../../stack/src/postgres/pg-client";
import { type TestDatabase, createTestDatabase } from "../../stack/src/testing/test-database";
import { dropReplicationSlots } from "../../stack/src/testing/test-kafka";
import { cdcReverseSlotName } from "../src/stream/cdc-stream";
import { DEBEZIUM_REVERSE_CONNECTOR_FILE, debeziumConnectorSlot, findRetiredReverseSlot, findRetiredReverseSlots } from "../src/stream/retired-reverse-slot";

const EXAMPLE_CONFIG = path.join(__dirname, "..", "..", "migration-plan", "strangler.config.yaml");

describe("findRetiredReverseSlots", () => {
  // Slot names are global to the server: a unique service name and Debezium slot per run.
  const unique = `t${process.pid}_${randomBytes(3).toString("hex")}`;
  const serviceName = `svc-${unique.replace(/_/g, "-")}`;
  const debeziumSlot = `dbz_rev_${unique}`;
  let service: TestDatabase;
  let connectorFile: string;
  let config: (reverse: boolean) => MigrationConfig;

  beforeAll(async () => {
    service = await createTestDatabase("users_service");
    const loaded = loadMigrationConfig(EXAMPLE_CONFIG, { STRANGLER_USERS_SERVICE_DATABASE_URL: service.url });
    config = (reverse) => ({ ...loaded, services: loaded.services.map((s) => (s.data ? { ...s, name: serviceName, data: { ...s.data, database: service.url, reverse } } : s)) });
    connectorFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "retired-reverse-")), "reverse.json");
    const real = JSON.parse(fs.readFileSync(DEBEZIUM_REVERSE_CONNECTOR_FILE, "utf8")) as { name: string; config: Record<string, string> };
    fs.writeFileSync(connectorFile, JSON.stringify({ ...real, config: { ...real.config, "slot.name": debeziumSlot, "publication.name": debeziumSlot } }));
  });

  afterAll(async () => {
    await dropReplicationSlots(service.name);
    await service.drop();
    fs.rmSync(path.dirname(connectorFile), { recursive: true, force: true });
  });

  const createSlot = (slot: string) => withPgClient(service.url, (client) => client.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [slot]));

  it("reads the Debezium reverse slot from cdc/connectors/users-service-reverse.json", () => {
    expect(debeziumConnectorSlot(DEBEZIUM_REVERSE_CONNECTOR_FILE)).toEqual({ slot: "strangler_dbz_users_service_reverse", publication: "strangler_dbz_users_service_reverse" });
    expect(debeziumConnectorSlot(path.join(os.tmpdir(), `missing-${unique}.json`))).toBeNull();
  });

  it("finds nothing while no reverse slot exists", async () => {
    expect(await findRetiredReverseSlots(config(false), serviceName, { debeziumConnectorFile: connectorFile })).toEqual([]);
  });

  it("warns about a Debezium reverse connector's slot left behind, with the statements that drop it", async () => {
    await createSlot(debeziumSlot);
    const found = await findRetiredReverseSlots(config(false), serviceName, { debeziumConnectorFile: connectorFile });
    expect(found).toEqual([expect.objectContaining({ service: serviceName, slot: debeziumSlot, database: expect.stringContaining(service.name) })]);
    expect(found[0]?.warning).toContain(`the Debezium reverse connector's replication slot ${debeziumSlot}`);
    expect(found[0]?.warning).toContain(`SELECT pg_drop_replication_slot('${debeziumSlot}'); DROP PUBLICATION IF EXISTS ${debeziumSlot};`);
    expect(found[0]?.warning).not.toContain(new URL(service.url).password || "\u0000");
    // Turned back on, it is the connector's slot in use again: no warning.
    expect(await findRetiredReverseSlots(config(true), serviceName, { debeziumConnectorFile: connectorFile })).toEqual([]);
  });

  it("lists the embedded source's slot first when both transports left one", async () => {
    await createSlot(cdcReverseSlotName(serviceName));
    const found = await findRetiredReverseSlots(config(false), serviceName, { debeziumConnectorFile: connectorFile });
    expect(found.map((slot) => slot.slot)).toEqual([cdcReverseSlotName(serviceName), debeziumSlot]);
    expect(found[0]?.warning).toContain("Turn reverse back on, or drop the slot");
    expect((await findRetiredReverseSlot(config(false), serviceName, { debeziumConnectorFile: connectorFile }))?.slot).toBe(cdcReverseSlotName(serviceName));
  });
});
