import type { Client } from "pg";
import { type TestDatabase, createTestDatabase } from "../../stack/src/testing/test-database";
import { createEmbeddedSource } from "../src/embedded-source/embedded-source";
import type { EmbeddedSourceLogger } from "../src/embedded-source/embedded-source-logger";
import { createRecordingSink } from "../src/embedded-source/testing/recording-sink";
import type { EventSink } from "../src/sink/event-sink";
import {
  connect,
  dropSlotsWithPublications,
  eventually,
  foldByKey,
  insertUsers,
  sourceUsers,
  uniqueName,
} from "./support/embedded-source-fixture";

// A sink stalled for longer than the server's wal_sender_timeout (a lock wait, a slow target) while
// the source's reading is paused: the source must keep sending standby status updates, or the
// walsender drops the replication connection and the unacknowledged tail replays.
/** Per replication connection (wal_sender_timeout is user-settable since PostgreSQL 12), so the shared test cluster is untouched. */
const WAL_SENDER_TIMEOUT_MS = 2_000;
const STALL_MS = 3 * WAL_SENDER_TIMEOUT_MS;
const HEARTBEAT_MS = 200;
const MAX_QUEUED = 20;
const ROWS = 200;

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

/** The test database's URL with `-c wal_sender_timeout=…` in the connection's options. */
function withShortWalSenderTimeout(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("options", `-c wal_sender_timeout=${WAL_SENDER_TIMEOUT_MS}ms`);
  return parsed.toString();
}

/** The walsender serving the slot (null while none holds it). */
async function walsenderPid(slot: string): Promise<number | null> {
  const result = await client.query<{ active_pid: number | null }>(
    "SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1",
    [slot],
  );
  return result.rows[0]?.active_pid ?? null;
}

test("a sink stalled longer than wal_sender_timeout, with reading paused, keeps the replication connection: no reconnect, no replay, the end state equals the source", async () => {
  const slot = uniqueName("strangler_test_ka");
  slots.push(slot);
  const sourceUrl = withShortWalSenderTimeout(db.url);
  const probe = await connect(sourceUrl);
  try {
    // The option reaches the server (a walsender reads it the same way at connection start).
    expect(
      (await probe.query<{ wal_sender_timeout: string }>("SHOW wal_sender_timeout")).rows[0]?.wal_sender_timeout,
    ).toBe(`${WAL_SENDER_TIMEOUT_MS / 1000}s`);
  } finally {
    await probe.end();
  }

  const recording = createRecordingSink();
  let stalled: Promise<void> | null = null;
  let release = (): void => undefined;
  let stalls = 0;
  const stallable: EventSink = {
    async applyBatch(batch) {
      if (stalled) {
        stalls += 1;
        await stalled;
      }
      return recording.applyBatch(batch);
    },
    close: () => recording.close(),
  };
  const errors: string[] = [];
  const logger: EmbeddedSourceLogger = {
    info: () => undefined,
    warn: () => undefined,
    error: (_details, message) => errors.push(message ?? ""),
  };
  const source = createEmbeddedSource(
    {
      sourceUrl,
      tables: ["users"],
      slotName: slot,
      publicationName: slot,
      batchSize: 50,
      heartbeatMs: HEARTBEAT_MS,
      maxQueued: MAX_QUEUED,
    },
    { sink: stallable, logger },
  );
  const started = Date.now();
  try {
    await source.start();
    const pid = await walsenderPid(slot);
    expect(pid).not.toBeNull();

    stalled = new Promise<void>((resolve) => (release = resolve));
    const before = recording.events.length;
    await insertUsers(client, ROWS, "stall");
    await eventually(
      "the sink stalled and reading paused",
      async () => stalls > 0 && (source.status().queued ?? 0) >= MAX_QUEUED,
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, STALL_MS));
    const queuedAtRelease = source.status().queued ?? 0;
    stalled = null;
    release();

    await eventually("every insert reached the sink", async () => recording.events.length - before >= ROWS, 30_000);
    const expected = await sourceUsers(client);
    await eventually(
      "end state equal to the source",
      async () => JSON.stringify([...foldByKey(recording.events)].sort()) === JSON.stringify([...expected].sort()),
      15_000,
    );
    expect(foldByKey(recording.events)).toEqual(expected);
    // Nothing delivered twice: the stream never re-opened from the slot's confirmed position.
    const deliveries = recording.events.map(
      (event) => `${event.source.lsn}:${String((event.after ?? event.before)?.id)}`,
    );
    expect(deliveries.length - new Set(deliveries).size).toBe(0);
    expect(errors).toEqual([]);
    expect(await walsenderPid(slot)).toBe(pid);
    expect(source.status().phase).toBe("streaming");
    process.stdout.write(
      `keepalive e2e: sink stalled ${STALL_MS} ms (wal_sender_timeout ${WAL_SENDER_TIMEOUT_MS} ms) with ${queuedAtRelease} messages queued; ${ROWS} inserts, ${Date.now() - started} ms\n`,
    );
  } finally {
    release();
    await source.stop();
  }
}, 60_000);
