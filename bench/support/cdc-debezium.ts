// The Debezium transport for bench:cdc: a KRaft broker and a Kafka Connect worker with Debezium from
// the stack's test helper (stack/src/testing/test-kafka.ts; jars from the shared Maven cache), the
// connector file cdc/connectors/users-service.json on the scratch source database, and the kafkajs
// consumer of cdc/src/kafka-source. (a) for this transport: N Debezium messages produced to a topic
// up front, then drained by the consumer through the sink (rate from the first sink batch to the
// last commit); (c): the connector and the consumer under the steady write load of cdc-lag.ts.
import { randomUUID } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import { Client } from "pg";
import type { Logger } from "pino";
import type { DataTableConfig } from "@strangler/migration-config";
import type { EventSink, Sink } from "../../cdc/src";
import { compileWireDecoder } from "../../cdc/src/mapping/debezium-wire-values";
import { createKafkaSource, loadSourceColumnTypes, type KafkaSource } from "../../cdc/src/kafka-source";
import type { RowImage } from "../../cdc/src/envelope/debezium-envelope";
import { TEST_PG_URL_VARIABLE } from "../../stack/src/config/stack-config";
import { startTestKafka, type TestKafka } from "../../stack/src/testing/test-kafka";
import type { BenchUser, RunResult } from "./cdc-burst";
import type { LagPipeline } from "./cdc-lag";

export const BENCH_DBZ_CONNECTOR = "bench-cdc-dbz";
export const BENCH_DBZ_SLOT = "bench_cdc_dbz_slot";
const BURST_TOPIC = "bench-cdc-burst.public.users";
const LAG_TOPIC_PREFIX = "bench-cdc-lag";
/** How long the consumer may take to drain the burst or the snapshot before the bench gives up. */
const DRAIN_TIMEOUT_MS = 300_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the broker and the Connect worker; the connector reaches PostgreSQL at the scratch database's host and port. */
export async function startBenchKafka(sourceUrl: string): Promise<TestKafka> {
  const url = new URL(sourceUrl);
  // The helper's defaults come from the jest test cluster's URL; outside jest, the bench's server is that cluster.
  process.env[TEST_PG_URL_VARIABLE] ??=
    `${url.protocol}//${url.username ? `${url.username}@` : ""}${url.host}/postgres`;
  return startTestKafka({
    pgEnv: {
      STRANGLER_CONNECT_PG_HOST: url.hostname,
      STRANGLER_CONNECT_PG_PORT: url.port || "5432",
      STRANGLER_CONNECT_PG_USER: decodeURIComponent(url.username) || "postgres",
      STRANGLER_CONNECT_PG_PASSWORD: decodeURIComponent(url.password),
    },
  });
}

async function waitFor(what: string, check: () => boolean, timeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`bench:cdc: gave up waiting for ${what} after ${timeoutMs} ms`);
    await sleep(5);
  }
}

/** Produces the users as Debezium create events (JSON, schemas off) to the burst topic, once. */
export async function produceBurst(
  kafka: TestKafka,
  users: readonly BenchUser[],
  table: DataTableConfig,
): Promise<void> {
  const client = new Kafka({ clientId: "bench-cdc-producer", brokers: kafka.brokers, logLevel: logLevel.NOTHING });
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: BURST_TOPIC, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = client.producer();
  await producer.connect();
  try {
    const now = Date.now();
    for (let offset = 0; offset < users.length; offset += 1000) {
      const messages = users.slice(offset, offset + 1000).map((user, i) => {
        const after: RowImage = {
          id: user.id,
          email: user.email,
          name: user.name,
          phone: user.phone,
          created_at: user.createdAt,
          updated_at: user.updatedAt,
        };
        const lsn = 1 + (offset + i) * 64;
        // As Debezium 3.7 writes it, ts_us and ts_ns included (numbers of 16 and 19 digits).
        const source = {
          version: "3.7.0.Final",
          connector: "postgresql",
          name: "bench-cdc-burst",
          ts_ms: now,
          ts_us: now * 1000,
          ts_ns: `${now}000000`,
          snapshot: "false",
          db: "monolith",
          schema: "public",
          table: table.source,
          txId: 1000 + offset + i,
          lsn,
          origin: null,
        };
        const value = JSON.stringify({
          before: null,
          after,
          source,
          transaction: null,
          op: "c",
          ts_ms: now,
          ts_us: now * 1000,
          ts_ns: `${now}000000`,
        });
        return { key: JSON.stringify({ id: user.id }), value: value.replace(/"ts_ns":"(\d+)"/g, '"ts_ns":$1') };
      });
      await producer.send({ topic: BURST_TOPIC, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** (a) on the Debezium transport: a fresh consumer group drains the burst topic through the sink. */
export async function runConsumerBurst(kafka: TestKafka, sink: Sink, rows: number, logger: Logger): Promise<RunResult> {
  let first = 0;
  let last = 0;
  let applied = 0;
  let deadLettered = 0;
  const timed: EventSink = {
    async applyBatch(batch) {
      if (first === 0) first = performance.now();
      const result = await sink.applyBatch(batch);
      applied += result.applied;
      deadLettered += result.deadLettered;
      last = performance.now();
      return result;
    },
    close: async () => undefined,
  };
  const source = createKafkaSource(
    {
      brokers: kafka.brokers,
      clientId: "bench-cdc-burst",
      groupId: `bench-cdc-burst-${randomUUID()}`,
      topics: [BURST_TOPIC],
    },
    { sink: timed, logger },
  );
  await source.start();
  try {
    await waitFor(`${rows} burst events`, () => applied + deadLettered >= rows);
  } finally {
    await source.stop();
  }
  if (deadLettered > 0) throw new Error(`the sink dead-lettered ${deadLettered} bench events`);
  const ms = last - first;
  return { rows: applied, ms, rowsPerSecond: Math.round((applied / ms) * 1000) };
}

/** Deletes the connector and drops its slot once its walsender let go (DROP DATABASE refuses while a slot exists). */
async function dropConnectorAndSlot(kafka: TestKafka, sourceUrl: string): Promise<void> {
  await kafka.deleteConnector(BENCH_DBZ_CONNECTOR);
  const client = new Client({ connectionString: sourceUrl, application_name: "strangler-bench-cdc-admin" });
  client.on("error", () => undefined);
  await client.connect();
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      const slot = await client.query<{ active: boolean }>(
        "SELECT active FROM pg_replication_slots WHERE slot_name = $1",
        [BENCH_DBZ_SLOT],
      );
      if (slot.rows.length === 0) return;
      if (!slot.rows[0]?.active) {
        await client.query("SELECT pg_drop_replication_slot($1)", [BENCH_DBZ_SLOT]);
        return;
      }
      await sleep(100);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * (c) on the Debezium transport: the project's connector file on the scratch source database (its own
 * slot, publication and topic prefix; `overrides` may add connector properties), then the consumer.
 */
export function debeziumPipeline(
  kafka: TestKafka,
  sourceUrl: string,
  table: DataTableConfig,
  logger: Logger,
  overrides: Record<string, string> = {},
): LagPipeline {
  let source: KafkaSource | null = null;
  return {
    async start(sink, preloadRows) {
      await dropConnectorAndSlot(kafka, sourceUrl);
      await kafka.registerConnector("users-service.json", {
        name: BENCH_DBZ_CONNECTOR,
        "database.dbname": new URL(sourceUrl).pathname.slice(1),
        "topic.prefix": LAG_TOPIC_PREFIX,
        "slot.name": BENCH_DBZ_SLOT,
        "publication.name": BENCH_DBZ_SLOT,
        ...overrides,
      });
      const types = await loadSourceColumnTypes(sourceUrl, [{ schema: "public", name: table.source }]);
      const decoders = new Map(
        [...types].map(([name, columns]) => [name, compileWireDecoder(columns, { decimalHandlingMode: "string" })]),
      );
      source = createKafkaSource(
        {
          brokers: kafka.brokers,
          clientId: "bench-cdc-lag",
          groupId: `bench-cdc-lag-${randomUUID()}`,
          topics: [`${LAG_TOPIC_PREFIX}.public.${table.source}`],
          reader: { decoders },
        },
        { sink, logger },
      );
      await source.start();
      const started = source;
      await waitFor(`the Debezium snapshot of ${preloadRows} rows`, () => started.status().applied >= preloadRows);
    },
    async stop() {
      await source?.stop();
      await dropConnectorAndSlot(kafka, sourceUrl);
    },
  };
}
