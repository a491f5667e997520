import type { Client } from "pg";
import { type TestDatabase, createTestDatabase } from "../../stack/src/testing/test-database";
import type { EventSink } from "../src/sink/event-sink";
import { createRecordingSink } from "../src/embedded-source/testing/recording-sink";
import {
  type SourceHarness,
  connect,
  createHarness,
  disposeHarness,
  dropReplicationOrigin,
  foldByKey,
  insertUsers,
  sourceUsers,
  uniqueName,
} from "./support/embedded-source-fixture";

let db: TestDatabase;
let client: Client;
const harnesses: SourceHarness[] = [];
const ORIGIN = uniqueName("strangler_sink_test");

beforeAll(async () => {
  db = await createTestDatabase("monolith");
  client = await connect(db.url);
});

afterAll(async () => {
  for (const harness of harnesses) await disposeHarness(client, harness);
  await dropReplicationOrigin(client, ORIGIN);
  await client.end();
  await db.drop();
});

function harnessFor(overrides: Parameters<typeof createHarness>[1] = {}): SourceHarness {
  const harness = createHarness(db.url, overrides);
  harnesses.push(harness);
  return harness;
}

test("writes made during the snapshot are neither lost nor applied twice at the seam", async () => {
  await insertUsers(client, 300, "seam");
  const harness = harnessFor({ batchSize: 20 });
  const recording = harness.sink;
  // A slow target stretches the snapshot so the writer below overlaps it.
  const slowSink: EventSink = {
    applyBatch: async (batch) => {
      await new Promise((resolve) => setTimeout(resolve, 15));
      return recording.applyBatch(batch);
    },
    close: () => recording.close(),
  };
  const source = harness.restart(slowSink);
  const writer = await connect(db.url);
  let writing = true;
  const writes = (async () => {
    for (let round = 0; writing; round += 1) {
      await writer.query("UPDATE users SET name = $1 WHERE id = (SELECT id FROM users ORDER BY random() LIMIT 1)", [
        `round ${round}`,
      ]);
      if (round % 5 === 0) await insertUsers(writer, 1, `during-${round}`);
      if (round % 7 === 0)
        await writer.query("DELETE FROM users WHERE id = (SELECT id FROM users ORDER BY random() LIMIT 1)");
    }
  })();
  await source.start();
  writing = false;
  await writes;
  await writer.end();

  const expected = await sourceUsers(client);
  await recording.waitFor((events) => equalMaps(foldByKey(events), expected));
  const events = recording.events;
  expect(events.some((e) => e.op !== "r")).toBe(true);
  const snapshotLsn = events.find((e) => e.op === "r")?.source.lsn ?? 0;
  expect(events.filter((e) => e.op !== "r").every((e) => e.source.lsn > snapshotLsn)).toBe(true);
  // No injected failure, so every change arrives exactly once.
  const keys = events.filter((e) => e.op !== "r").map((e) => `${e.source.lsn}/${String((e.after ?? e.before)?.id)}`);
  expect(new Set(keys).size).toBe(keys.length);
});

test("a snapshot interrupted half way is taken again from scratch on the next start", async () => {
  const harness = harnessFor({
    batchSize: 10,
    publicationName: uniqueName("strangler_test_pub"),
    slotName: uniqueName("strangler_test_slot"),
  });
  let calls = 0;
  const dying: EventSink = {
    applyBatch: async (batch) => {
      calls += 1;
      if (calls === 2) throw new Error("process died");
      return harness.sink.applyBatch(batch);
    },
    close: async () => undefined,
  };
  await expect(harness.restart(dying).start()).rejects.toThrow("process died");
  expect(harness.sink.events.length).toBe(10);

  const next = createRecordingSink();
  await harness.restart(next).start();
  const expected = await sourceUsers(client);
  expect(next.events.every((e) => e.op === "r")).toBe(true);
  expect(foldByKey(next.events)).toEqual(expected);
  expect(next.events.length).toBe(expected.size);
});

test("writes under the sink's replication origin are not streamed back; other writes are", async () => {
  const harness = harnessFor({
    slotName: uniqueName("strangler_test_slot"),
    publicationName: uniqueName("strangler_test_pub"),
  });
  await harness.source.start();
  const snapshotted = harness.sink.events.length;
  await client.query("SELECT pg_replication_origin_create($1)", [ORIGIN]);
  const sinkSession = await connect(db.url);
  await sinkSession.query("SELECT pg_replication_origin_session_setup($1)", [ORIGIN]);
  const [echoed] = await insertUsers(sinkSession, 1, "from-sink");
  await sinkSession.query("SELECT pg_replication_origin_session_reset()");
  await sinkSession.end();
  const [normal] = await insertUsers(client, 1, "from-app");

  await harness.sink.waitFor((events) => events.some((e) => e.after?.id === normal));
  const streamed = harness.sink.events.slice(snapshotted).map((e) => e.after?.id);
  expect(streamed).toEqual([normal]);
  expect(streamed).not.toContain(echoed);
});

function equalMaps(a: Map<string, unknown>, b: Map<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (JSON.stringify(value) !== JSON.stringify(b.get(key))) return false;
  return true;
}
