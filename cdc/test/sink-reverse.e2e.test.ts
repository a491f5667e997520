import { randomUUID } from "node:crypto";
import { Client } from "pg";
import pino from "pino";
import { compileMappers, createSink, type Sink } from "../src";
import { createTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { dropReplicationOrigin } from "./support/embedded-source-fixture";
import { USERS_TABLE } from "./sink-test-events";

const ORIGIN = `strangler_sink_reverse_test_${process.pid}`;
let db: TestDatabase;
let client: Client;
let sink: Sink;

const profileEvent = (op: "c" | "u" | "d", lsn: number, row: Record<string, unknown>) => {
  const event = {
    before: op === "d" ? row : null,
    after: op === "d" ? null : row,
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
};
const profile = (userId: string, first: string, last: string, email: string, version: number) => ({
  user_id: userId,
  email_address: email,
  first_name: first,
  last_name: last,
  phone_number: null,
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-03T00:00:00.000Z",
  version,
});

beforeAll(async () => {
  db = await createTestDatabase("monolith");
  client = new Client({ connectionString: db.url });
  await client.connect();
  sink = createSink(
    {
      targetUrl: db.url,
      mappings: compileMappers([USERS_TABLE], "inverse"),
      direction: "users-service-to-monolith",
      replicationOrigin: ORIGIN,
    },
    { logger: pino({ level: "silent" }) },
  );
});

afterAll(async () => {
  await sink.close();
  await dropReplicationOrigin(client, ORIGIN);
  await client.end();
  await db.drop();
});

describe("the sink in the reverse direction (users service → monolith)", () => {
  it("joins first and last name back into the monolith's users, renames columns and ignores version", async () => {
    const [grace, cher, gone] = [randomUUID(), randomUUID(), randomUUID()];
    const result = await sink.applyBatch([
      profileEvent("c", 10, profile(grace, "Grace", "Brewster Hopper", "grace@example.com", 1)),
      profileEvent("c", 11, profile(cher, "Cher", "", "cher@example.com", 1)),
      profileEvent("c", 12, profile(gone, "Gone", "Soon", "gone@example.com", 1)),
      profileEvent("u", 13, profile(grace, "Grace", "Hopper", "grace.hopper@example.com", 2)),
      profileEvent("d", 14, { user_id: gone }),
    ]);
    expect(result).toEqual({ applied: 5, skipped: 0, deadLettered: 0, conflicts: 0, highestLsn: 14 });
    const rows = await client.query(
      "SELECT id, email, name, phone, updated_at FROM users WHERE id = ANY($1) ORDER BY email",
      [[grace, cher, gone]],
    );
    expect(rows.rows).toEqual([
      {
        id: cher,
        email: "cher@example.com",
        name: "Cher",
        phone: null,
        updated_at: new Date("2026-01-03T00:00:00.000Z"),
      },
      {
        id: grace,
        email: "grace.hopper@example.com",
        name: "Grace Hopper",
        phone: null,
        updated_at: new Date("2026-01-03T00:00:00.000Z"),
      },
    ]);
  });
});
