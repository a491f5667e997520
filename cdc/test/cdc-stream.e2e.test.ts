import { randomUUID } from "node:crypto";
import path from "node:path";
import { loadMigrationConfig } from "@strangler/migration-config";
import type { Client } from "pg";
import { type TestDatabase, createTestDatabase } from "../../stack/src/testing/test-database";
import { dropSlot } from "../src/embedded-source/source-setup";
import { type CdcStream, cdcSlotName, createCdcStream, forwardDirection } from "../src/stream/cdc-stream";
import {
  connect,
  dropReplicationOrigin,
  eventually,
  silentLogger,
  uniqueName,
} from "./support/embedded-source-fixture";

// The stream built from the example migration config, its database URLs pointed at test databases.
const EXAMPLE_CONFIG = path.join(__dirname, "..", "..", "migration-plan", "strangler.config.yaml");
const SLOT = uniqueName("strangler_test_stream");
const ORIGIN = uniqueName("strangler_sink_stream_test");

let monolith: TestDatabase;
let service: TestDatabase;
let monolithClient: Client;
let serviceClient: Client;
let stream: CdcStream;

/** A monolith row as the users service stores it (the forward mapping of the example config). */
interface ProfileRow {
  user_id: string;
  email_address: string;
  first_name: string;
  last_name: string;
  phone_number: string | null;
  created_at: string;
  updated_at: string;
}

function splitName(name: string): [string, string] {
  const at = name.indexOf(" ");
  return at < 0 ? [name, ""] : [name.slice(0, at), name.slice(at + 1)];
}

/** The monolith's users, mapped to user_profiles rows, keyed by id. */
async function expectedProfiles(): Promise<Map<string, ProfileRow>> {
  const result = await monolithClient.query<{
    id: string;
    email: string;
    name: string;
    phone: string | null;
    created_at: Date;
    updated_at: Date;
  }>("SELECT id, email, name, phone, created_at, updated_at FROM users");
  return new Map(
    result.rows.map((row) => {
      const [first, last] = splitName(row.name);
      return [
        row.id,
        {
          user_id: row.id,
          email_address: row.email,
          first_name: first,
          last_name: last,
          phone_number: row.phone,
          created_at: row.created_at.toISOString(),
          updated_at: row.updated_at.toISOString(),
        },
      ];
    }),
  );
}

/** The service's user_profiles rows (mapped columns only), keyed by user_id. */
async function actualProfiles(): Promise<Map<string, ProfileRow>> {
  const result = await serviceClient.query<
    Omit<ProfileRow, "created_at" | "updated_at"> & { created_at: Date; updated_at: Date }
  >("SELECT user_id, email_address, first_name, last_name, phone_number, created_at, updated_at FROM user_profiles");
  return new Map(
    result.rows.map((row) => [
      row.user_id,
      { ...row, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() },
    ]),
  );
}

async function insertUser(name: string, phone: string | null = null): Promise<string> {
  const id = randomUUID();
  const email = `${name.toLowerCase().replace(/ /g, ".")}.${id.slice(0, 6)}@example.test`;
  await monolithClient.query(
    "INSERT INTO users (id, email, name, phone, created_at, updated_at) VALUES ($1, $2, $3, $4, now(), now())",
    [id, email, name, phone],
  );
  return id;
}

async function inSync(): Promise<boolean> {
  const [expected, actual] = await Promise.all([expectedProfiles(), actualProfiles()]);
  if (expected.size !== actual.size) return false;
  for (const [id, row] of expected) if (JSON.stringify(actual.get(id)) !== JSON.stringify(row)) return false;
  return true;
}

beforeAll(async () => {
  [monolith, service] = await Promise.all([createTestDatabase("monolith"), createTestDatabase("users_service")]);
  [monolithClient, serviceClient] = await Promise.all([connect(monolith.url), connect(service.url)]);
});

afterAll(async () => {
  await stream?.stop();
  // The slot (after its walsender released it), the publication and the sink's replication origin are cluster objects.
  await dropSlot(monolithClient, SLOT);
  await monolithClient.query(`DROP PUBLICATION IF EXISTS ${SLOT}`);
  await dropReplicationOrigin(serviceClient, ORIGIN);
  await Promise.all([monolithClient.end(), serviceClient.end()]);
  await Promise.all([monolith.drop(), service.drop()]);
});

test("names the default stream after the service", () => {
  const config = loadMigrationConfig(EXAMPLE_CONFIG, {});
  expect(forwardDirection(config, "users-service")).toBe("monolith-to-users-service");
  expect(cdcSlotName("users-service")).toBe("strangler_users_service");
});

test("seeded users arrive through the snapshot, then live inserts, updates and deletes follow; both sides end equal key by key", async () => {
  const seeded = [
    await insertUser("Ada King Lovelace", "+44 20 7946 0000"),
    await insertUser("Grace Hopper"),
    await insertUser("Cher"),
    await insertUser("Alan Mathison Turing"),
  ];
  const config = loadMigrationConfig(EXAMPLE_CONFIG, {
    ...process.env,
    STRANGLER_MONOLITH_DATABASE_URL: monolith.url,
    STRANGLER_USERS_SERVICE_DATABASE_URL: service.url,
  });
  stream = createCdcStream(
    config,
    "users-service",
    { logger: silentLogger },
    { slotName: SLOT, replicationOrigin: ORIGIN, heartbeatMs: 200 },
  );
  expect(stream.direction).toBe("monolith-to-users-service");

  await stream.start();
  expect(stream.status()).toMatchObject({
    direction: "monolith-to-users-service",
    phase: "streaming",
    applied: 4,
    deadLettered: 0,
  });
  await eventually("snapshot applied", inSync);
  const snapshot = await actualProfiles();
  expect(snapshot.get(seeded[0] ?? "")).toMatchObject({
    first_name: "Ada",
    last_name: "King Lovelace",
    phone_number: "+44 20 7946 0000",
  });
  expect(snapshot.get(seeded[2] ?? "")).toMatchObject({ first_name: "Cher", last_name: "" });

  const added = await insertUser("Barbara Liskov", "+1 617 555 0100");
  await monolithClient.query(
    "UPDATE users SET name = 'Grace Brewster Murray Hopper', email = 'grace@navy.example.test', updated_at = now() WHERE id = $1",
    [seeded[1]],
  );
  await monolithClient.query("UPDATE users SET phone = '+1 555 0199', updated_at = now() WHERE id = $1", [seeded[2]]);
  await monolithClient.query("DELETE FROM users WHERE id = $1", [seeded[3]]);
  await eventually("live changes applied", inSync);

  await stream.stop();
  expect(stream.status().phase).toBe("stopped");
  const [expected, actual] = await Promise.all([expectedProfiles(), actualProfiles()]);
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [id, row] of expected) expect(actual.get(id)).toEqual(row);
  expect(actual.get(seeded[1] ?? "")).toMatchObject({
    first_name: "Grace",
    last_name: "Brewster Murray Hopper",
    email_address: "grace@navy.example.test",
  });
  expect(actual.get(added)).toMatchObject({
    first_name: "Barbara",
    last_name: "Liskov",
    phone_number: "+1 617 555 0100",
  });
  expect(actual.has(seeded[3] ?? "")).toBe(false);
  expect(stream.status()).toMatchObject({ applied: 8, deadLettered: 0 });
});
