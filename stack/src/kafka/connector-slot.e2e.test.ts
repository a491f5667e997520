import { randomBytes } from "node:crypto";
import { loadTestDatabaseUrl } from "../config/stack-config";
import { withPgClient } from "../postgres/pg-client";
import { type TestDatabase, createTestDatabase } from "../testing/test-database";
import { dropReplicationSlots } from "../testing/test-kafka";
import { holdSlot, slotAndPublication } from "../testing/hold-slot";
import { connectorSlot, dropConnectorSlot } from "./connector-slot";

describe("dropConnectorSlot", () => {
  const unique = `t${process.pid}_${randomBytes(3).toString("hex")}`;
  let database: TestDatabase;
  const holders: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    database = await createTestDatabase("users_service");
  });

  afterAll(async () => {
    for (const release of holders) await release();
    await dropReplicationSlots(database.name);
    await database.drop();
  });

  async function createSlot(name: string): Promise<void> {
    await withPgClient(database.url, async (client) => {
      await client.query(`CREATE PUBLICATION ${name} FOR TABLE user_profiles`);
      await client.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [name]);
    });
  }

  it("reads the slot and publication from the connector definition", () => {
    expect(
      connectorSlot({
        name: "c",
        config: { "database.dbname": "users_service", "slot.name": "s", "publication.name": "p" },
      }),
    ).toEqual({ database: "users_service", slot: "s", publication: "p" });
    expect(connectorSlot({ name: "c", config: { "database.dbname": "db" } })).toEqual({
      database: "db",
      slot: "debezium",
      publication: "dbz_publication",
    });
    expect(connectorSlot({ name: "c", config: {} })).toBeNull();
  });

  it("drops an inactive slot and its publication, and finds nothing the second time", async () => {
    const name = `dbz_a_${unique}`;
    await createSlot(name);
    const slot = { database: database.name, slot: name, publication: name };
    expect(await slotAndPublication(database.url, name, name)).toEqual({ slot: true, publication: true });
    expect(await dropConnectorSlot(loadTestDatabaseUrl(), slot)).toEqual({ slot: true, publication: true });
    expect(await slotAndPublication(database.url, name, name)).toEqual({ slot: false, publication: false });
    expect(await dropConnectorSlot(loadTestDatabaseUrl(), slot)).toEqual({ slot: false, publication: false });
  });

  it("waits until the slot's stream is gone, and never drops a slot still in use", async () => {
    const name = `dbz_b_${unique}`;
    await createSlot(name);
    const slot = { database: database.name, slot: name, publication: name };
    const holder = await holdSlot(database.url, name, name);
    holders.push(holder.release);

    await expect(dropConnectorSlot(loadTestDatabaseUrl(), slot, 500)).rejects.toThrow(
      new RegExp(`${name} in ${database.name} is still in use \\(pid ${holder.pid}\\).*pg_drop_replication_slot`),
    );
    expect(await slotAndPublication(database.url, name, name)).toEqual({ slot: true, publication: true });

    const dropping = dropConnectorSlot(loadTestDatabaseUrl(), slot, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await holder.release();
    expect(await dropping).toEqual({ slot: true, publication: true });
    expect(await slotAndPublication(database.url, name, name)).toEqual({ slot: false, publication: false });
  });

  it("has nothing to drop in a database that does not exist", async () => {
    expect(
      await dropConnectorSlot(loadTestDatabaseUrl(), { database: `missing_${unique}`, slot: "x", publication: "x" }),
    ).toEqual({ slot: false, publication: false });
  });
});
