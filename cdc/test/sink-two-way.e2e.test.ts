import { randomUUID } from "node:crypto";
import { Client } from "pg";
import pino from "pino";
import { compileMappers, createSink, type Sink, type SourcedEvent } from "../src";
import { createTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { dropReplicationOrigin } from "./support/embedded-source-fixture";
import { USERS_TABLE, userEvent, userRow } from "./sink-test-events";

// Both directions at the sink level: each side wrote locally, then each sink delivers the other side's write.
const ORIGINS = [`strangler_sink_fwd_test_${process.pid}`, `strangler_sink_rev_test_${process.pid}`] as const;
let monolith: TestDatabase;
let service: TestDatabase;
let monolithClient: Client;
let serviceClient: Client;
let forward: Sink;
let reverse: Sink;

function profileEvent(op: "c" | "u", lsn: number, row: Record<string, unknown>): SourcedEvent {
  const event = {
    before: null,
    after: row,
    source: {
      lsn,
      txId: lsn,
      ts_ms: Date.now(),
      db: "users_service",
      schema: "public",
      table: "user_profiles",
      snapshot: false,
    },
    op,
    ts_ms: Date.now(),
  };
  return { event, raw: event };
}

const profileRow = (userId: string, first: string, last: string, email: string, updatedAt: string) => ({
  user_id: userId,
  email_address: email,
  first_name: first,
  last_name: last,
  phone_number: null,
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: updatedAt,
  version: 2,
});

beforeAll(async () => {
  [monolith, service] = await Promise.all([createTestDatabase("monolith"), createTestDatabase("users_service")]);
  monolithClient = new Client({ connectionString: monolith.url });
  serviceClient = new Client({ connectionString: service.url });
  await Promise.all([monolithClient.connect(), serviceClient.connect()]);
  const logger = pino({ level: "silent" });
  forward = createSink(
    {
      targetUrl: service.url,
      mappings: compileMappers([USERS_TABLE], "forward"),
      direction: "monolith-to-users-service",
      replicationOrigin: ORIGINS[0],
    },
    { logger },
  );
  reverse = createSink(
    {
      targetUrl: monolith.url,
      mappings: compileMappers([USERS_TABLE], "inverse"),
      direction: "users-service-to-monolith",
      replicationOrigin: ORIGINS[1],
    },
    { logger },
  );
});

afterAll(async () => {
  await Promise.all([forward.close(), reverse.close()]);
  for (const origin of ORIGINS) await dropReplicationOrigin(serviceClient, origin);
  await Promise.all([monolithClient.end(), serviceClient.end()]);
  await Promise.all([monolith.drop(), service.drop()]);
});

async function bothSides(id: string): Promise<{ monolith: unknown; service: unknown }> {
  const m = await monolithClient.query("SELECT email, name FROM users WHERE id = $1", [id]);
  const s = await serviceClient.query(
    "SELECT email_address AS email, first_name || CASE WHEN last_name = '' THEN '' ELSE ' ' || last_name END AS name FROM user_profiles WHERE user_id = $1",
    [id],
  );
  return { monolith: m.rows[0], service: s.rows[0] };
}

describe("two-way sync through two sinks", () => {
  it("converges concurrent conflicting updates on the later updated_at, on both sides", async () => {
    const id = randomUUID();
    // The row exists on both sides (it was synced before).
    await forward.applyBatch([
      userEvent("c", 10, userRow(id, "Ada Lovelace", "ada@example.com", null, "2026-01-02T00:00:00.000Z")),
    ]);
    await reverse.applyBatch([
      profileEvent("c", 10, profileRow(id, "Ada", "Lovelace", "ada@example.com", "2026-01-02T00:00:00.000Z")),
    ]);
    // Concurrent writes: the monolith at 10:00:01, the service at 10:00:02; each stream then delivers the other's.
    await monolithClient.query(
      "UPDATE users SET email = 'ada.monolith@example.com', updated_at = '2026-01-05T10:00:01Z' WHERE id = $1",
      [id],
    );
    await serviceClient.query(
      "UPDATE user_profiles SET email_address = 'ada.service@example.com', updated_at = '2026-01-05T10:00:02Z' WHERE user_id = $1",
      [id],
    );
    await forward.applyBatch([
      userEvent("u", 20, userRow(id, "Ada Lovelace", "ada.monolith@example.com", null, "2026-01-05T10:00:01.000Z")),
    ]);
    await reverse.applyBatch([
      profileEvent("u", 20, profileRow(id, "Ada", "Lovelace", "ada.service@example.com", "2026-01-05T10:00:02.000Z")),
    ]);
    expect(await bothSides(id)).toEqual({
      monolith: { email: "ada.service@example.com", name: "Ada Lovelace" },
      service: { email: "ada.service@example.com", name: "Ada Lovelace" },
    });
  });
});
