import { randomUUID } from "node:crypto";
import path from "node:path";
import { loadMigrationConfig, type MigrationConfig } from "@strangler/migration-config";
import type { Client } from "pg";
import { type TestDatabase, createTestDatabase } from "../../stack/src/testing/test-database";
import { dropSlot } from "../src/embedded-source/source-setup";
import {
  type CdcStream,
  cdcReverseSlotName,
  createCdcStream,
  createReverseCdcStream,
  reverseDirection,
} from "../src/stream/cdc-stream";
import { connect, dropReplicationOrigin, silentLogger, uniqueName } from "./support/embedded-source-fixture";

// Both directions of the example migration config (data.reverse: true) on real PostgreSQL: the
// forward stream monolith.users → users_service.user_profiles and the reverse stream back.
const EXAMPLE_CONFIG = path.join(__dirname, "..", "..", "migration-plan", "strangler.config.yaml");
const FORWARD_SLOT = uniqueName("strangler_test_fwd");
const REVERSE_SLOT = uniqueName("strangler_test_rev");
const ORIGINS = [uniqueName("strangler_sink_fwd_2way"), uniqueName("strangler_sink_rev_2way")] as const;
/** How long a quiet row is watched for further events (the issue: counted over 10 s). */
const WATCH_MS = 10_000;

let monolith: TestDatabase;
let service: TestDatabase;
let monolithClient: Client;
let serviceClient: Client;
let forward: CdcStream | undefined;
let reverse: CdcStream | undefined;

/** A user as both sides can show it: the service's first/last name joined as the inverse mapping does. */
interface UserView {
  email: string;
  name: string;
  phone: string | null;
  created_at: string;
  updated_at: string;
}

async function monolithUsers(): Promise<Map<string, UserView>> {
  const result = await monolithClient.query<{
    id: string;
    email: string;
    name: string;
    phone: string | null;
    created_at: Date;
    updated_at: Date;
  }>("SELECT id, email, name, phone, created_at, updated_at FROM users");
  return new Map(
    result.rows.map((row) => [
      row.id,
      {
        email: row.email,
        name: row.name,
        phone: row.phone,
        created_at: row.created_at.toISOString(),
        updated_at: row.updated_at.toISOString(),
      },
    ]),
  );
}

async function serviceUsers(): Promise<Map<string, UserView>> {
  const result = await serviceClient.query<{
    user_id: string;
    email_address: string;
    first_name: string;
    last_name: string;
    phone_number: string | null;
    created_at: Date;
    updated_at: Date;
  }>("SELECT user_id, email_address, first_name, last_name, phone_number, created_at, updated_at FROM user_profiles");
  return new Map(
    result.rows.map((row) => [
      row.user_id,
      {
        email: row.email_address,
        name: row.last_name === "" ? row.first_name : `${row.first_name} ${row.last_name}`,
        phone: row.phone_number,
        created_at: row.created_at.toISOString(),
        updated_at: row.updated_at.toISOString(),
      },
    ]),
  );
}

/** Differences between the two sides, key by key (empty when equal). */
async function differences(): Promise<string[]> {
  const [m, s] = await Promise.all([monolithUsers(), serviceUsers()]);
  const problems: string[] = [];
  for (const id of new Set([...m.keys(), ...s.keys()])) {
    const [left, right] = [JSON.stringify(m.get(id) ?? null), JSON.stringify(s.get(id) ?? null)];
    if (left !== right) problems.push(`${id}: monolith ${left} ≠ service ${right}`);
  }
  return problems;
}

async function insertMonolithUser(name: string, updatedAt = new Date().toISOString()): Promise<string> {
  const id = randomUUID();
  await monolithClient.query(
    "INSERT INTO users (id, email, name, phone, created_at, updated_at) VALUES ($1, $2, $3, NULL, $4, $4)",
    [id, `m-${id}@example.test`, name, updatedAt],
  );
  return id;
}

async function insertServiceProfile(
  first: string,
  last: string,
  updatedAt = new Date().toISOString(),
): Promise<string> {
  const id = randomUUID();
  await serviceClient.query(
    "INSERT INTO user_profiles (user_id, email_address, first_name, last_name, phone_number, created_at, updated_at, version) VALUES ($1, $2, $3, $4, NULL, $5, $5, 1)",
    [id, `s-${id}@example.test`, first, last, updatedAt],
  );
  return id;
}

const applied = (): { forward: number; reverse: number } => ({
  forward: forward?.status().applied ?? 0,
  reverse: reverse?.status().applied ?? 0,
});

/** Waits until both sides are equal and both streams have been idle for `quietMs`; fails with the differences. */
async function settle(what: string, timeoutMs = 20_000, quietMs = 1_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = JSON.stringify(applied());
  let since = Date.now();
  for (;;) {
    const now = JSON.stringify(applied());
    if (now !== last) [last, since] = [now, Date.now()];
    const diff = await differences();
    if (diff.length === 0 && Date.now() - since >= quietMs) return;
    if (Date.now() > deadline)
      throw new Error(`${what}: not settled within ${timeoutMs} ms:\n${diff.join("\n") || "(streams still applying)"}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Applies `write` once, then counts each stream's events for WATCH_MS (nothing else writes meanwhile). */
async function countEventsAfter(write: () => Promise<unknown>): Promise<{ forward: number; reverse: number }> {
  const before = applied();
  await write();
  const end = Date.now() + WATCH_MS;
  while (Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 200));
  const after = applied();
  return { forward: after.forward - before.forward, reverse: after.reverse - before.reverse };
}

beforeAll(async () => {
  [monolith, service] = await Promise.all([createTestDatabase("monolith"), createTestDatabase("users_service")]);
  [monolithClient, serviceClient] = await Promise.all([connect(monolith.url), connect(service.url)]);
});

afterAll(async () => {
  await Promise.allSettled([forward?.stop(), reverse?.stop()]);
  // Slots (once their walsenders released them) and publications live in their source database;
  // the sinks' replication origins are cluster objects.
  await dropSlot(monolithClient, FORWARD_SLOT);
  await dropSlot(serviceClient, REVERSE_SLOT);
  await monolithClient.query(`DROP PUBLICATION IF EXISTS ${FORWARD_SLOT}`);
  await serviceClient.query(`DROP PUBLICATION IF EXISTS ${REVERSE_SLOT}`);
  for (const origin of ORIGINS) await dropReplicationOrigin(serviceClient, origin);
  await Promise.all([monolithClient.end(), serviceClient.end()]);
  await Promise.all([monolith.drop(), service.drop()]);
});

test("names the reverse stream after the service and the legacy system", () => {
  const config = loadMigrationConfig(EXAMPLE_CONFIG, {});
  expect(config.services[0]?.data?.reverse).toBe(false);
  expect(reverseDirection(config, "users-service")).toBe("users-service-to-monolith");
  expect(cdcReverseSlotName("users-service")).toBe("strangler_users_service_reverse");
});

describe("two-way sync with both directions on", () => {
  let seeded: string;

  beforeAll(async () => {
    seeded = await insertMonolithUser("Ada Lovelace", "2026-01-01T00:00:00.000Z");
    const loaded = loadMigrationConfig(EXAMPLE_CONFIG, {
      ...process.env,
      STRANGLER_MONOLITH_DATABASE_URL: monolith.url,
      STRANGLER_USERS_SERVICE_DATABASE_URL: service.url,
    });
    const config: MigrationConfig = {
      ...loaded,
      services: loaded.services.map((s) => (s.data ? { ...s, data: { ...s.data, reverse: true } } : s)),
    };
    forward = createCdcStream(
      config,
      "users-service",
      { logger: silentLogger },
      { slotName: FORWARD_SLOT, replicationOrigin: ORIGINS[0], heartbeatMs: 200 },
    );
    reverse = createReverseCdcStream(
      config,
      "users-service",
      { logger: silentLogger },
      { slotName: REVERSE_SLOT, replicationOrigin: ORIGINS[1], heartbeatMs: 200 },
    );
    // As main.ts does: the reverse stream starts once the forward one streams.
    await forward.start();
    await reverse.start();
  }, 60_000);

  it("streams both ways: a monolith insert reaches user_profiles, a service insert reaches users with the name joined", async () => {
    expect(forward?.status()).toMatchObject({
      direction: "monolith-to-users-service",
      phase: "streaming",
      deadLettered: 0,
    });
    expect(reverse?.status()).toMatchObject({
      direction: "users-service-to-monolith",
      phase: "streaming",
      deadLettered: 0,
    });
    expect((await serviceUsers()).get(seeded)).toMatchObject({ name: "Ada Lovelace" });

    const fromMonolith = await insertMonolithUser("Grace Brewster Hopper");
    const fromService = await insertServiceProfile("Barbara", "Liskov");
    const single = await insertServiceProfile("Cher", "");
    await settle("inserts on both sides");
    const [m, s] = await Promise.all([monolithUsers(), serviceUsers()]);
    expect(s.get(fromMonolith)).toMatchObject({
      name: "Grace Brewster Hopper",
      email: `m-${fromMonolith}@example.test`,
    });
    const profile = await serviceClient.query("SELECT first_name, last_name FROM user_profiles WHERE user_id = $1", [
      fromMonolith,
    ]);
    expect(profile.rows[0]).toEqual({ first_name: "Grace", last_name: "Brewster Hopper" });
    expect(m.get(fromService)).toMatchObject({ name: "Barbara Liskov", email: `s-${fromService}@example.test` });
    expect(m.get(single)).toMatchObject({ name: "Cher" });
    expect(forward?.status().deadLettered).toBe(0);
    expect(reverse?.status().deadLettered).toBe(0);
  }, 60_000);

  it("delivers a single update in the monolith exactly once to the service, and nothing flows back (10 s)", async () => {
    await settle("before the monolith update");
    const counts = await countEventsAfter(() =>
      monolithClient.query(
        "UPDATE users SET name = 'Ada King Lovelace', updated_at = '2026-02-01T00:00:00.000Z' WHERE id = $1",
        [seeded],
      ),
    );
    expect(counts).toEqual({ forward: 1, reverse: 0 });
    expect(await differences()).toEqual([]);
    expect((await serviceUsers()).get(seeded)).toMatchObject({
      name: "Ada King Lovelace",
      updated_at: "2026-02-01T00:00:00.000Z",
    });
  }, 60_000);

  it("delivers a single update in the service exactly once to the monolith, and nothing flows back (10 s)", async () => {
    await settle("before the service update");
    const counts = await countEventsAfter(() =>
      serviceClient.query(
        "UPDATE user_profiles SET first_name = 'Augusta', last_name = 'Ada King', updated_at = '2026-02-02T00:00:00.000Z', version = version + 1 WHERE user_id = $1",
        [seeded],
      ),
    );
    expect(counts).toEqual({ forward: 0, reverse: 1 });
    expect(await differences()).toEqual([]);
    expect((await monolithUsers()).get(seeded)).toMatchObject({
      name: "Augusta Ada King",
      updated_at: "2026-02-02T00:00:00.000Z",
    });
  }, 60_000);

  it("converges concurrent conflicting updates on both sides to the later updated_at, key by key", async () => {
    const [serviceWins, monolithWins] = [
      await insertMonolithUser("Alan Turing", "2026-01-01T00:00:00.000Z"),
      await insertServiceProfile("Edsger", "Dijkstra", "2026-01-01T00:00:00.000Z"),
    ];
    await settle("before the conflicting updates");
    // Both sides write both rows at the same moment, each with its own updated_at and name.
    await Promise.all([
      monolithClient.query(
        "UPDATE users SET name = 'Alan Monolith', updated_at = '2026-03-01T10:00:01.000Z' WHERE id = $1",
        [serviceWins],
      ),
      serviceClient.query(
        "UPDATE user_profiles SET first_name = 'Alan', last_name = 'Service', updated_at = '2026-03-01T10:00:02.000Z' WHERE user_id = $1",
        [serviceWins],
      ),
      monolithClient.query(
        "UPDATE users SET name = 'Edsger Monolith', updated_at = '2026-03-01T10:00:05.000Z' WHERE id = $1",
        [monolithWins],
      ),
      serviceClient.query(
        "UPDATE user_profiles SET first_name = 'Edsger', last_name = 'Service', updated_at = '2026-03-01T10:00:04.000Z' WHERE user_id = $1",
        [monolithWins],
      ),
    ]);
    await settle("after the conflicting updates", 30_000, 2_000);
    expect(await differences()).toEqual([]);
    const [m, s] = await Promise.all([monolithUsers(), serviceUsers()]);
    expect([...m.keys()].sort()).toEqual([...s.keys()].sort());
    for (const [id, row] of m) expect(s.get(id)).toEqual(row);
    expect(m.get(serviceWins)).toMatchObject({ name: "Alan Service", updated_at: "2026-03-01T10:00:02.000Z" });
    expect(m.get(monolithWins)).toMatchObject({ name: "Edsger Monolith", updated_at: "2026-03-01T10:00:05.000Z" });
    expect(forward?.status().deadLettered).toBe(0);
    expect(reverse?.status().deadLettered).toBe(0);
  }, 60_000);
});
