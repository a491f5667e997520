import type { Client } from "pg";
import { type TestDatabase, createTestDatabase } from "../../stack/src/testing/test-database";
import { parseLsn } from "../src/embedded-source/lsn";
import { createRecordingSink } from "../src/embedded-source/testing/recording-sink";
import {
  type SourceHarness,
  connect,
  createHarness,
  disposeHarness,
  eventually,
  foldByKey,
  insertUsers,
  sourceUsers,
} from "./support/embedded-source-fixture";

let db: TestDatabase;
let client: Client;
let harness: SourceHarness;
let seeded: string[];

beforeAll(async () => {
  db = await createTestDatabase("monolith");
  client = await connect(db.url);
  seeded = await insertUsers(client, 7);
  harness = createHarness(db.url, { batchSize: 3 });
});

afterAll(async () => {
  await disposeHarness(client, harness);
  await client.end();
  await db.drop();
});

async function slotConfirmedLsn(): Promise<number> {
  const slot = await client.query<{ lsn: string }>(
    "SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1",
    [harness.options.slotName],
  );
  return parseLsn(slot.rows[0]?.lsn ?? "0/0");
}

/** PostgreSQL's own text of a timestamptz in the source's text session (UTC, ISO): never a JavaScript Date's form. */
const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00$/;

test("snapshots the seeded users as op r, the last one marked, at the slot's consistent point", async () => {
  await harness.source.start();
  const { events } = harness.sink;
  expect(events.map((e) => e.op)).toEqual(Array(7).fill("r"));
  expect(new Set(events.map((e) => e.after?.id))).toEqual(new Set(seeded));
  expect(events.map((e) => e.source.snapshot)).toEqual([...Array(6).fill("true"), "last"]);
  expect(new Set(events.map((e) => e.source.lsn)).size).toBe(1);
  expect(events[0]?.source).toMatchObject({ db: db.name, schema: "public", table: "users" });
  expect(events[0]?.after?.created_at).toMatch(PG_TIMESTAMP);
  expect(foldByKey(events)).toEqual(await sourceUsers(client));
  expect(harness.source.status()).toMatchObject({ phase: "streaming", applied: 7 });
});

test("streams inserts, updates and deletes with their before and after images", async () => {
  const snapshotLsn = harness.sink.events[0]?.source.lsn ?? 0;
  const [added] = await insertUsers(client, 1, "live");
  await client.query("UPDATE users SET name = 'Renamed', phone = '+44 1' WHERE id = $1", [seeded[0]]);
  await client.query("DELETE FROM users WHERE id = $1", [seeded[1]]);
  await harness.sink.waitFor((events) => events.length >= 10);
  const [insert, update, remove] = harness.sink.events.slice(7);

  expect(insert).toMatchObject({ op: "c", before: null, after: { id: added, phone: null } });
  expect(update).toMatchObject({
    op: "u",
    before: { id: seeded[0], phone: null },
    after: { id: seeded[0], name: "Renamed", phone: "+44 1" },
  });
  expect(remove).toMatchObject({ op: "d", before: { id: seeded[1] }, after: null });
  for (const event of [insert, update, remove]) {
    expect(event?.source.lsn).toBeGreaterThan(snapshotLsn);
    expect(event?.source.txId).toEqual(expect.any(Number));
    expect(Math.abs((event?.source.ts_ms ?? 0) - Date.now())).toBeLessThan(10_000);
    expect(event?.source.snapshot).toBe("false");
  }
  expect(foldByKey(harness.sink.events)).toEqual(await sourceUsers(client));
});

test("does not acknowledge a change before the sink committed it, and replays a failed batch", async () => {
  harness.sink.failNext(2);
  const [added] = await insertUsers(client, 1, "retried");
  // The commit's end is at or before this position.
  const committed = parseLsn(
    (await client.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn")).rows[0]?.lsn ?? "0/0",
  );
  // The first attempt failed; the stream waits EMBEDDED_REOPEN_RETRY.initialMs (1 s) before re-opening.
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(harness.sink.events.some((e) => e.after?.id === added)).toBe(false);
  // The slot may confirm up to the open transaction (its commit is what counts), never past the commit.
  expect(await slotConfirmedLsn()).toBeLessThan(committed);
  await harness.sink.waitFor((events) => events.some((e) => e.after?.id === added));
  const change = harness.sink.events.find((e) => e.after?.id === added);
  // The server records the acknowledgement when its walsender reads it, a moment later.
  await eventually(
    "slot confirmed past the change",
    async () => (await slotConfirmedLsn()) > (change?.source.lsn ?? 0),
  );
  expect(parseLsn(harness.source.status().confirmedLsn ?? "0/0")).toBeGreaterThan(change?.source.lsn ?? 0);
  expect(foldByKey(harness.sink.events)).toEqual(await sourceUsers(client));
});

test("a transaction larger than a batch reaches the sink across several batches", async () => {
  const batchesBefore = harness.sink.batches;
  await client.query("BEGIN");
  const ids = await insertUsers(client, 8, "bulk");
  await client.query("COMMIT");
  await harness.sink.waitFor((events) => ids.every((id) => events.some((e) => e.after?.id === id)));
  expect(harness.sink.batches - batchesBefore).toBeGreaterThanOrEqual(3);
  const txIds = new Set(harness.sink.events.filter((e) => ids.includes(String(e.after?.id))).map((e) => e.source.txId));
  expect(txIds.size).toBe(1);
});

test("re-connects when the server ends the replication connection, without losing a change", async () => {
  await client.query("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1", [
    harness.options.slotName,
  ]);
  const [added] = await insertUsers(client, 1, "after-terminate");
  await harness.sink.waitFor((events) => events.some((e) => e.after?.id === added));
  expect(foldByKey(harness.sink.events)).toEqual(await sourceUsers(client));
});

test("after stop and start it resumes from the confirmed position without losing writes made while stopped", async () => {
  await harness.source.stop();
  expect(harness.source.status().phase).toBe("stopped");
  const whileStopped = await insertUsers(client, 3, "offline");
  await client.query("UPDATE users SET name = 'Changed offline' WHERE id = $1", [seeded[2]]);
  const next = createRecordingSink();
  const restarted = harness.restart(next);
  await restarted.start();
  await next.waitFor((events) => events.some((e) => e.op === "u" && e.after?.id === seeded[2]));
  // No second snapshot: the slot's snapshot was recorded as complete.
  expect(next.events.filter((e) => e.op === "r")).toEqual([]);
  expect(next.events.filter((e) => e.op === "c").map((e) => e.after?.id)).toEqual(expect.arrayContaining(whileStopped));
  expect(foldByKey([...harness.sink.events, ...next.events])).toEqual(await sourceUsers(client));
});

test("a heartbeat confirms the server's position while the tables are quiet, so WAL is released", async () => {
  const before = await client.query<{ lsn: string }>(
    "SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1",
    [harness.options.slotName],
  );
  // WAL written for a table outside the publication: nothing to stream, yet the slot must move on.
  await client.query("CREATE TABLE heartbeat_noise (n int)");
  await client.query("INSERT INTO heartbeat_noise SELECT generate_series(1, 1000)");
  const written = await client.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
  await eventually(`slot confirmed past ${written.rows[0]?.lsn} (was ${before.rows[0]?.lsn})`, async () => {
    const moved = await client.query<{ caught_up: boolean }>(
      "SELECT confirmed_flush_lsn >= $2::pg_lsn AS caught_up FROM pg_replication_slots WHERE slot_name = $1",
      [harness.options.slotName, written.rows[0]?.lsn],
    );
    return moved.rows[0]?.caught_up === true;
  });
});
