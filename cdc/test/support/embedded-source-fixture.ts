import { randomUUID } from "node:crypto";
import { Client } from "pg";
import pino from "pino";
import type { ChangeEvent, RowImage } from "../../src/envelope/debezium-envelope";
import {
  type EmbeddedSource,
  type EmbeddedSourceOptions,
  createEmbeddedSource,
} from "../../src/embedded-source/embedded-source";
import type { EventSink } from "../../src/sink/event-sink";
import { toRowImage } from "../../src/embedded-source/row-values";
import { KEEP_TEXT_TYPES, useTextSession } from "../../src/embedded-source/text-session";
import { dropSlot } from "../../src/embedded-source/source-setup";
import { type RecordingSink, createRecordingSink } from "../../src/embedded-source/testing/recording-sink";

export const silentLogger = pino({ level: "silent" });

/** Names unique to this test process: slots and origins are cluster-wide, test files run in parallel. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomUUID().slice(0, 8)}`;
}

/** A client in the embedded source's text session (UTC, ISO dates), so text read with KEEP_TEXT_TYPES matches its images. */
export async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  await useTextSession(client);
  return client;
}

/** Inserts users directly, as the monolith would; returns their ids. */
export async function insertUsers(client: Client, count: number, tag = "seed"): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = randomUUID();
    ids.push(id);
    await client.query(
      "INSERT INTO users (id, email, name, phone, created_at, updated_at) VALUES ($1, $2, $3, NULL, now(), now())",
      [id, `${tag}-${id}@example.test`, `${tag} ${i}`],
    );
  }
  return ids;
}

/** The source table as row images keyed by id, the way the source emits them. */
export async function sourceUsers(client: Client): Promise<Map<string, RowImage>> {
  const result = await client.query<Record<string, unknown>>({ text: "SELECT * FROM users", types: KEEP_TEXT_TYPES });
  return new Map(result.rows.map((row) => [String(row.id), toRowImage(row) ?? {}]));
}

/**
 * Applies events the way an idempotent, version-guarded sink does (a row moves only to a strictly
 * higher LSN), so a test can compare the end state with the source key by key.
 */
export function foldByKey(events: readonly ChangeEvent[]): Map<string, RowImage> {
  const rows = new Map<string, { lsn: number; row: RowImage | null }>();
  for (const event of events) {
    const image = event.after ?? event.before;
    const key = String(image?.id);
    const stored = rows.get(key);
    if (stored && event.source.lsn <= stored.lsn) continue;
    rows.set(key, { lsn: event.source.lsn, row: event.op === "d" ? null : event.after });
  }
  const live = new Map<string, RowImage>();
  for (const [key, { row }] of rows) if (row) live.set(key, row);
  return live;
}

export interface SourceHarness {
  sink: RecordingSink;
  source: EmbeddedSource;
  options: EmbeddedSourceOptions;
  /** A fresh source object on the same slot, as a restarted process would create. */
  restart(sink?: EventSink): EmbeddedSource;
}

export function createHarness(sourceUrl: string, overrides: Partial<EmbeddedSourceOptions> = {}): SourceHarness {
  const options: EmbeddedSourceOptions = {
    sourceUrl,
    tables: ["users"],
    slotName: uniqueName("strangler_test_slot"),
    publicationName: uniqueName("strangler_test_pub"),
    batchSize: 50,
    heartbeatMs: 200,
    ...overrides,
  };
  const sink = createRecordingSink();
  const harness: SourceHarness = {
    sink,
    source: createEmbeddedSource(options, { sink, logger: silentLogger }),
    options,
    restart(next: EventSink = sink) {
      harness.source = createEmbeddedSource(options, { sink: next, logger: silentLogger });
      return harness.source;
    },
  };
  return harness;
}

/** Stops the source and drops its slot (after the walsender released it) so the database can be dropped. */
export async function disposeHarness(client: Client, harness: SourceHarness): Promise<void> {
  await harness.source.stop();
  await dropSlot(client, harness.options.slotName);
}

/** Polls `check` until it returns true; fails with `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Drops a replication origin (a cluster-wide object, so tests must clean it up). A sink's backend
 * releases its origin a moment after the pool closes, so the drop is retried until it succeeds.
 */
export async function dropReplicationOrigin(client: Client, origin: string): Promise<void> {
  await eventually(`replication origin ${origin} dropped`, async () => {
    try {
      await client.query("SELECT pg_replication_origin_drop($1) FROM pg_replication_origin WHERE roname = $1", [
        origin,
      ]);
      return true;
    } catch {
      return false;
    }
  });
}

/** Drops test slots and the publications of the same name (the tests name both alike). */
export async function dropSlotsWithPublications(client: Client, names: readonly string[]): Promise<void> {
  for (const name of names) {
    await dropSlot(client, name);
    await client.query(`DROP PUBLICATION IF EXISTS ${name}`);
  }
}
