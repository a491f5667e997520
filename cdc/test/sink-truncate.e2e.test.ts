import { randomUUID } from "node:crypto";
import { Client } from "pg";
import pino from "pino";
import { compileMappers, createSink, type SourcedEvent, type Sink } from "../src";
import { createTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { dropReplicationOrigin } from "./support/embedded-source-fixture";
import { USERS_TABLE, userEvent, userRow } from "./sink-test-events";

// Truncate (op t) of a mapped source table, on real PostgreSQL: both directions, one database each.
const FORWARD_ORIGIN = `strangler_sink_truncate_test_${process.pid}`;
const REVERSE_ORIGIN = `strangler_sink_truncate_reverse_test_${process.pid}`;
const logger = pino({ level: "silent" });

let forwardDb: TestDatabase;
let reverseDb: TestDatabase;
let forward: Client;
let reverse: Client;
let forwardSink: Sink;
let reverseSink: Sink;

/** user_profiles as user id → "email first last" (what the test compares key by key). */
async function profiles(): Promise<Record<string, string>> {
  const result = await forward.query<{ user_id: string; row: string }>(
    "SELECT user_id, concat_ws(' ', email_address, first_name, last_name) AS row FROM user_profiles",
  );
  return Object.fromEntries(result.rows.map((r) => [r.user_id, r.row]));
}

const ids = Array.from({ length: 6 }, () => randomUUID());
const [ada, grace, alan, barbara, edsger, linus] = ids as [string, string, string, string, string, string];
const ADA_1 = userRow(ada, "Ada Lovelace", "ada@example.com");
const GRACE_1 = userRow(grace, "Grace Hopper", "grace@example.com");
const ALAN_1 = userRow(alan, "Alan Turing", "alan@example.com");

beforeAll(async () => {
  [forwardDb, reverseDb] = await Promise.all([createTestDatabase("users_service"), createTestDatabase("monolith")]);
  forward = new Client({ connectionString: forwardDb.url });
  reverse = new Client({ connectionString: reverseDb.url });
  await Promise.all([forward.connect(), reverse.connect()]);
  forwardSink = createSink(
    {
      targetUrl: forwardDb.url,
      mappings: compileMappers([USERS_TABLE], "forward"),
      direction: "truncate-test",
      replicationOrigin: FORWARD_ORIGIN,
    },
    { logger },
  );
  reverseSink = createSink(
    {
      targetUrl: reverseDb.url,
      mappings: compileMappers([USERS_TABLE], "inverse"),
      direction: "truncate-reverse-test",
      replicationOrigin: REVERSE_ORIGIN,
    },
    { logger },
  );
});

afterAll(async () => {
  await Promise.allSettled([forwardSink?.close(), reverseSink?.close()]);
  if (forward) await dropReplicationOrigin(forward, FORWARD_ORIGIN).catch(() => undefined);
  if (reverse) await dropReplicationOrigin(reverse, REVERSE_ORIGIN).catch(() => undefined);
  await Promise.allSettled([forward?.end(), reverse?.end()]);
  await Promise.allSettled([forwardDb?.drop(), reverseDb?.drop()]);
});

describe("the sink applying a truncate of a mapped table", () => {
  it("empties the target and applies the re-inserted keys after it, in one batch, ending equal to the source", async () => {
    // Source: three users, TRUNCATE users, two of them seeded again with other values.
    const result = await forwardSink.applyBatch([
      userEvent("c", 100, ADA_1),
      userEvent("c", 110, GRACE_1),
      userEvent("c", 120, ALAN_1),
      userEvent("t", 200, null),
      userEvent("c", 210, userRow(ada, "Ada King", "ada.king@example.com")),
      userEvent("c", 220, userRow(grace, "Grace Brewster", "grace.b@example.com")),
    ]);
    expect(result).toEqual({ applied: 6, skipped: 0, deadLettered: 0, conflicts: 0, highestLsn: 220 });
    expect(await profiles()).toEqual({
      [ada]: "ada.king@example.com Ada King",
      [grace]: "grace.b@example.com Grace Brewster",
    });
    const truncations = await forward.query("SELECT target_table, lsn::text FROM strangler_cdc.table_truncations");
    expect(truncations.rows).toEqual([{ target_table: "user_profiles", lsn: "200" }]);
  });

  it("never resurrects a row with a replayed pre-truncate event, set-based or event by event, and skips the replayed truncate", async () => {
    const before = await profiles();
    // Alan's replayed create and update (set-based: one column set) and a key whose events set different
    // column sets (applied event by event), all older than the truncate.
    const replay: SourcedEvent[] = [
      userEvent("c", 120, ALAN_1),
      userEvent("u", 150, userRow(alan, "Alan M Turing", "alan@example.com")),
      userEvent("c", 130, userRow(barbara, "Barbara Liskov", "barbara@example.com")),
      userEvent("u", 140, { id: barbara, email: "b.liskov@example.com" }),
      userEvent("t", 200, null),
    ];
    await expect(forwardSink.applyBatch(replay)).resolves.toEqual({
      applied: 0,
      skipped: 5,
      deadLettered: 0,
      conflicts: 0,
      highestLsn: 200,
    });
    expect(await profiles()).toEqual(before);
    const positions = await forward.query("SELECT 1 FROM strangler_cdc.row_positions WHERE row_key = $1", [barbara]);
    expect(positions.rowCount).toBe(0);
  });

  it("keeps the rows a later event wrote when an older truncate arrives after it, and applies later changes", async () => {
    // Source order: ada re-inserted (210), TRUNCATE (300), edsger created (310). The truncate arrives last.
    await expect(
      forwardSink.applyBatch([userEvent("c", 310, userRow(edsger, "Edsger Dijkstra", "edsger@example.com"))]),
    ).resolves.toMatchObject({ applied: 1 });
    await expect(forwardSink.applyBatch([userEvent("t", 300, null)])).resolves.toMatchObject({
      applied: 1,
      skipped: 0,
    });
    expect(await profiles()).toEqual({ [edsger]: "edsger@example.com Edsger Dijkstra" });
    // A late event between the two truncates stays out; a later one for a truncated key applies.
    await forwardSink.applyBatch([
      userEvent("u", 250, userRow(grace, "Grace Late", "grace.late@example.com")),
      userEvent("c", 320, userRow(ada, "Ada Again", "ada.again@example.com")),
    ]);
    expect(await profiles()).toEqual({
      [edsger]: "edsger@example.com Edsger Dijkstra",
      [ada]: "ada.again@example.com Ada Again",
    });
  });

  it("dead-letters a truncate of a table without a mapping and applies the rest of the batch", async () => {
    const result = await forwardSink.applyBatch([
      userEvent("t", 400, null, "orders"),
      userEvent("c", 410, userRow(linus, "Linus Torvalds", "linus@example.com")),
    ]);
    expect(result).toEqual({ applied: 1, skipped: 0, deadLettered: 1, conflicts: 0, highestLsn: 410 });
    const letters = await forward.query("SELECT source_table, lsn::text, reason FROM strangler_cdc.dead_letters");
    expect(letters.rows).toEqual([
      { source_table: "orders", lsn: "400", reason: 'no table mapping for source table "orders"' },
    ]);
    expect(Object.keys(await profiles()).sort()).toEqual([ada, edsger, linus].sort());
  });

  it("works the same in the reverse direction (user_profiles truncated in the service → monolith users), where a foreign key can refuse it", async () => {
    const [one, two] = [randomUUID(), randomUUID()];
    const profileEvent = (op: "c" | "t", lsn: number, row: Record<string, unknown> | null) => {
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
    };
    const profile = (id: string, first: string, email: string) => ({
      user_id: id,
      email_address: email,
      first_name: first,
      last_name: "Test",
      phone_number: null,
      created_at: "2026-01-01T00:00:00.000Z",
      updated_at: "2026-01-02T00:00:00.000Z",
      version: 1,
    });
    const result = await reverseSink.applyBatch([
      profileEvent("c", 10, profile(one, "One", "one@example.com")),
      profileEvent("c", 11, profile(two, "Two", "two@example.com")),
      profileEvent("t", 20, null),
      profileEvent("c", 30, profile(two, "Deux", "deux@example.com")),
    ]);
    expect(result).toEqual({ applied: 4, skipped: 0, deadLettered: 0, conflicts: 0, highestLsn: 30 });
    await expect(
      reverseSink.applyBatch([profileEvent("c", 10, profile(one, "One", "one@example.com"))]),
    ).resolves.toMatchObject({ applied: 0, skipped: 1 });
    const users = await reverse.query("SELECT id, name, email FROM users WHERE id = ANY($1)", [[one, two]]);
    expect(users.rows).toEqual([{ id: two, name: "Deux Test", email: "deux@example.com" }]);

    // An order references the user: the monolith refuses the delete, the truncate is dead-lettered and rolled back alone.
    await reverse.query("INSERT INTO orders (id, user_id, total_cents, updated_at) VALUES ($1, $2, 100, now())", [
      randomUUID(),
      two,
    ]);
    await expect(reverseSink.applyBatch([profileEvent("t", 40, null)])).resolves.toEqual({
      applied: 0,
      skipped: 0,
      deadLettered: 1,
      conflicts: 0,
      highestLsn: 40,
    });
    const letters = await reverse.query("SELECT source_table, reason FROM strangler_cdc.dead_letters");
    expect(letters.rows).toEqual([
      { source_table: "user_profiles", reason: expect.stringContaining("(SQLSTATE 23503)") },
    ]);
    expect((await reverse.query("SELECT lsn::text FROM strangler_cdc.table_truncations")).rows).toEqual([
      { lsn: "20" },
    ]);
    expect((await reverse.query("SELECT id FROM users WHERE id = $1", [two])).rows).toEqual([{ id: two }]);
  });
});
