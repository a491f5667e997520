import type { Client } from "pg";
import { type TestDatabase, createTestDatabase } from "../../stack/src/testing/test-database";
import { createEmbeddedSource } from "../src/embedded-source/embedded-source";
import { createRecordingSink } from "../src/embedded-source/testing/recording-sink";
import type { EventSink } from "../src/sink/event-sink";
import {
  connect,
  dropSlotsWithPublications,
  eventually,
  foldByKey,
  silentLogger,
  sourceUsers,
  uniqueName,
} from "./support/embedded-source-fixture";

// A burst on real PostgreSQL into a slow sink: the source stops reading the replication connection
// while MAX_QUEUED messages wait, so its queue stays bounded; the end state is still equal.
const BURST_ROWS = 4_000;
const MAX_QUEUED = 200;
/** One socket read (64 KiB) can land after the pause; a users change is well over 64 bytes on the wire. */
const ONE_READ = 1_024;
const SINK_DELAY_MS = 10;

let db: TestDatabase;
let client: Client;
const slots: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase("monolith");
  client = await connect(db.url);
});

afterAll(async () => {
  await dropSlotsWithPublications(client, slots);
  await client.end();
  await db.drop();
});

/** Streams a burst (BURST_ROWS inserts, then an update of each in one statement) into a sink that takes SINK_DELAY_MS per batch; returns the most messages seen queued. */
async function burstIntoSlowSink(maxQueued: number): Promise<{ peak: number; equal: boolean }> {
  const slot = uniqueName("strangler_test_bp");
  slots.push(slot);
  const recording = createRecordingSink();
  const slow: EventSink = {
    async applyBatch(batch) {
      await new Promise((resolve) => setTimeout(resolve, SINK_DELAY_MS));
      return recording.applyBatch(batch);
    },
    close: () => recording.close(),
  };
  const source = createEmbeddedSource(
    {
      sourceUrl: db.url,
      tables: ["users"],
      slotName: slot,
      publicationName: slot,
      batchSize: 50,
      heartbeatMs: 200,
      maxQueued,
    },
    { sink: slow, logger: silentLogger },
  );
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, source.status().queued ?? 0)), 2);
  try {
    await source.start();
    const before = recording.events.length;
    await client.query(
      "INSERT INTO users (id, email, name, phone, created_at, updated_at) SELECT gen_random_uuid(), 'burst-' || i || '-' || $1 || '@example.test', 'Burst ' || i, NULL, now(), now() FROM generate_series(1, $2) AS i",
      [slot, BURST_ROWS],
    );
    await client.query("UPDATE users SET name = name || ' updated', updated_at = now() WHERE email LIKE $1", [
      `burst-%-${slot}@example.test`,
    ]);
    await eventually(
      "the burst reached the sink",
      async () => recording.events.length - before >= 2 * BURST_ROWS,
      120_000,
    );
    const expected = await sourceUsers(client);
    return {
      peak,
      equal: JSON.stringify([...foldByKey(recording.events)].sort()) === JSON.stringify([...expected].sort()),
    };
  } finally {
    clearInterval(sampler);
    await source.stop();
  }
}

test("under a burst into a slow sink the source pauses reading: at most maxQueued (+ one socket read) messages wait, and the end state equals the source", async () => {
  const { peak, equal } = await burstIntoSlowSink(MAX_QUEUED);
  process.stdout.write(
    `backpressure e2e: ${2 * BURST_ROWS} events, peak queue ${peak} (bound ${MAX_QUEUED} + one read)\n`,
  );
  expect(equal).toBe(true);
  expect(peak).toBeGreaterThan(0);
  expect(peak).toBeLessThanOrEqual(MAX_QUEUED + ONE_READ);
}, 180_000);

test("the same burst with no bound queues far more (what the bound prevents)", async () => {
  const { peak, equal } = await burstIntoSlowSink(Number.MAX_SAFE_INTEGER);
  process.stdout.write(`backpressure e2e, unbounded: peak queue ${peak}\n`);
  expect(equal).toBe(true);
  expect(peak).toBeGreaterThan(MAX_QUEUED + ONE_READ);
}, 180_000);
