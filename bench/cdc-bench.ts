// npm run bench:cdc — in one run, on the project's own PostgreSQL and two scratch databases, per
// transport (embedded; debezium: a KRaft broker + Kafka Connect with Debezium from the stack's test
// helper):
// (a) the apply rate for a burst of N row changes (users → user_profiles of the example config):
//     embedded: built in memory and fed to sink.applyBatch in the sink's default batch size;
//     debezium: produced to a Kafka topic as Debezium messages, drained by the kafkajs consumer into the sink;
// (b) a plain batched upsert of the same rows into the same table, the practical limit;
// (c) the lag p50/p99 under a steady write load through the real transport: source commit → row
//     visible in the target (polled), and now − source.ts_ms when the sink's commit returned.
// (a) and (b) alternate for 3 rounds; medians are reported. Last line: one JSON object with the
// figures of each transport.
import path from "node:path";
import { parseArgs } from "node:util";
import { Client } from "pg";
import pino from "pino";
import { DEFAULT_CONFIG_PATH, loadMigrationConfig, type DataTableConfig } from "@strangler/migration-config";
import { compileMappers, createSink, KAFKA_SINK_BATCH_SIZE, SINK_BATCH_SIZE } from "../cdc/src";
import type { TestKafka } from "../stack/src/testing/test-kafka";
import {
  countTarget,
  makeEventBatches,
  makeUsers,
  resetTarget,
  runPlainUpsert,
  runSinkBurst,
  type RunResult,
} from "./support/cdc-burst";
import { debeziumPipeline, produceBurst, runConsumerBurst, startBenchKafka } from "./support/cdc-debezium";
import { embeddedPipeline, runLag, type LagResult } from "./support/cdc-lag";
import { BENCH_ORIGIN_PREFIX, createCdcScratch, type CdcScratch } from "./support/cdc-scratch";

const TRANSPORTS = ["embedded", "debezium"] as const;
type Transport = (typeof TRANSPORTS)[number];
const ROUNDS = 3;
/** a/b targets per transport (issue 9): the embedded sink and the Debezium consumer against the plain batched upsert. */
const TARGET_RATIO: Record<Transport, number> = { embedded: 0.6, debezium: 0.5 };
/** p99 targets of the apply lag (now − source.ts_ms) per transport: issue 4 (embedded) and issue 5 (debezium). */
const TARGET_P99_MS: Record<Transport, number> = { embedded: 200, debezium: 1000 };

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    rate: { type: "string", default: "2000" },
    seconds: { type: "string", default: "10" },
    transport: { type: "string" },
    "poll-interval-ms": { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write(
    "Usage: npm run bench:cdc -- [--rows 100000] [--rate 2000] [--seconds 10] [--transport embedded|debezium|both] [--poll-interval-ms N]\n" +
      "  (a) apply rate for a burst of --rows changes, (b) plain batched upsert of the same rows,\n" +
      "  (c) lag p50/p99 under --rate writes/s for --seconds s, per transport.\n" +
      "  Default transport: both when Kafka and Kafka Connect can be started (jars in the Maven cache), else embedded.\n" +
      "  --poll-interval-ms sets the Debezium connector's poll.interval.ms (default: the connector file's, else Debezium's 500).\n",
  );
  process.exit(0);
}
const positive = (name: string, text: string): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`bench:cdc: --${name} must be a positive number, got "${text}"\n`);
    process.exit(2);
  }
  return n;
};
const rows = Math.round(positive("rows", values.rows));
const rate = positive("rate", values.rate);
const seconds = positive("seconds", values.seconds);
const requested = values.transport ?? "both";
const pollIntervalMs =
  values["poll-interval-ms"] === undefined
    ? undefined
    : Math.round(positive("poll-interval-ms", values["poll-interval-ms"]));
const connectorOverrides: Record<string, string> =
  pollIntervalMs === undefined ? {} : { "poll.interval.ms": String(pollIntervalMs) };
if (![...TRANSPORTS, "both"].includes(requested)) {
  process.stderr.write(`bench:cdc: --transport must be embedded, debezium or both, got "${requested}"\n`);
  process.exit(2);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const progress = (text: string) => process.stderr.write(text);

/** The users → user_profiles mapping of the example config (migration-plan/strangler.config.yaml). */
function exampleUsersMapping(): DataTableConfig {
  const config = loadMigrationConfig(path.resolve(__dirname, "..", DEFAULT_CONFIG_PATH));
  const table = config.services
    .flatMap((s) => s.data?.tables ?? [])
    .find((t) => t.source === "users" && t.target === "user_profiles");
  if (!table) throw new Error("the example migration config maps no users → user_profiles table");
  return table;
}

/** Empties the source users table (and what references it) before a lag run, so each transport starts alike. */
async function resetSource(sourceUrl: string): Promise<void> {
  const client = new Client({ connectionString: sourceUrl, application_name: "strangler-bench-cdc-admin" });
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.query("TRUNCATE users CASCADE");
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface TransportFigures {
  sinkRuns: RunResult[];
  lag?: LagResult;
}

async function main(): Promise<void> {
  const table = exampleUsersMapping();
  const logger = pino({ level: "warn" }, pino.destination(2));
  let scratch: CdcScratch | null = null;
  let kafka: TestKafka | null = null;
  let failed = false;
  try {
    scratch = await createCdcScratch(progress);
    const created = scratch;
    // Ctrl-C / SIGTERM: still drop what the bench created (and stop PostgreSQL if it started it).
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        progress(`\n${signal}: cleaning up…\n`);
        // Dropping the scratch databases ends the bench's own open sessions; their clients' errors are expected now.
        process.on("uncaughtException", (error: Error & { code?: string }) => {
          if (error.code !== "57P01") progress(`during cleanup: ${error.message}\n`);
        });
        void Promise.resolve(kafka?.stop())
          .catch(() => undefined)
          .then(() => created.cleanup())
          .finally(() => process.exit(130));
      });
    }
    let transports: Transport[] = requested === "both" ? [...TRANSPORTS] : [requested as Transport];
    if (transports.includes("debezium")) {
      progress("starting Kafka and Kafka Connect with Debezium (test helper)…\n");
      try {
        kafka = await startBenchKafka(scratch.sourceUrl);
        progress(`kafka: ${kafka.brokers.join(",")}, connect: ${kafka.connectUrl}\n`);
      } catch (error) {
        if (values.transport !== undefined) throw error;
        progress(`Kafka is not available (${error instanceof Error ? error.message : String(error)}); embedded only\n`);
        transports = ["embedded"];
      }
    }
    const figures = new Map<Transport, TransportFigures>(transports.map((t) => [t, { sinkRuns: [] }]));
    const users = makeUsers(rows);
    if (kafka) {
      progress(`producing ${rows} Debezium messages for (a)…\n`);
      await produceBurst(kafka, users, table);
    }
    const target = new Client({ connectionString: scratch.targetUrl, application_name: "strangler-bench-cdc-upsert" });
    target.on("error", () => undefined);
    await target.connect();
    const sink = createSink(
      {
        targetUrl: scratch.targetUrl,
        mappings: compileMappers([table], "forward"),
        direction: "bench-cdc-burst",
        replicationOrigin: `${BENCH_ORIGIN_PREFIX}_burst`,
      },
      { logger },
    );
    const plainRuns: RunResult[] = [];
    try {
      // Warm-up: the sink creates its schema and origin, both paths touch the table once.
      await resetTarget(target, table);
      await runSinkBurst(sink, makeEventBatches(users.slice(0, SINK_BATCH_SIZE), table, SINK_BATCH_SIZE, 1));
      await resetTarget(target, table);
      await runPlainUpsert(target, users.slice(0, SINK_BATCH_SIZE), SINK_BATCH_SIZE);
      for (let round = 1; round <= ROUNDS; round++) {
        for (const transport of transports) {
          await resetTarget(target, table);
          const a =
            transport === "embedded"
              ? await runSinkBurst(sink, makeEventBatches(users, table, SINK_BATCH_SIZE, 1))
              : await runConsumerBurst(kafka as TestKafka, sink, rows, logger);
          if ((await countTarget(target, table)) !== rows)
            throw new Error(`(a) ${transport} left a different number of rows than it was given`);
          figures.get(transport)?.sinkRuns.push(a);
          progress(
            `round ${round}/${ROUNDS} (a) ${transport.padEnd(9)} ${String(a.rowsPerSecond).padStart(8)} rows/s  (${(a.ms / 1000).toFixed(2)} s)\n`,
          );
        }
        await resetTarget(target, table);
        const b = await runPlainUpsert(target, users, SINK_BATCH_SIZE);
        if ((await countTarget(target, table)) !== rows)
          throw new Error("(b) left a different number of rows than it was given");
        plainRuns.push(b);
        progress(
          `round ${round}/${ROUNDS} (b) plain upsert ${String(b.rowsPerSecond).padStart(8)} rows/s  (${(b.ms / 1000).toFixed(2)} s)\n`,
        );
      }
      await resetTarget(target, table);
    } finally {
      await sink.close().catch(() => undefined);
    }

    for (const transport of transports) {
      await resetTarget(target, table);
      await resetSource(scratch.sourceUrl);
      progress(`(c) ${transport}: `);
      const pipeline =
        transport === "embedded"
          ? embeddedPipeline(scratch.sourceUrl, table, logger)
          : debeziumPipeline(kafka as TestKafka, scratch.sourceUrl, table, logger, connectorOverrides);
      const lag = await runLag({
        pipeline,
        sourceUrl: scratch.sourceUrl,
        targetUrl: scratch.targetUrl,
        table,
        rate,
        seconds,
        logger,
        progress,
      });
      const entry = figures.get(transport);
      if (entry) entry.lag = lag;
      progress(
        `(c) ${transport}: ${lag.writes} writes (${lag.inserts} inserts, ${lag.updates} updates) at ${lag.achievedRate}/s, ${lag.observed} seen in the target, ${lag.lateWrites} started > 10 ms late\n`,
      );
    }
    await target.end().catch(() => undefined);

    const plainRate = Math.round(median(plainRuns.map((r) => r.rowsPerSecond)));
    const ok = (pass: boolean) => (pass ? "met" : "MISSED");
    const line = (label: string, value: string, targetText: string) =>
      `${label.padEnd(46)}${value.padStart(12)}   ${targetText}\n`;
    process.stdout.write(`\n${"figure".padEnd(46)}${"value".padStart(12)}   target\n`);
    process.stdout.write(line(`(b) plain batched upsert, ${rows} rows`, `${plainRate} rows/s`, ""));
    const results: Record<string, unknown> = {};
    const met: Record<string, { ratioSinkToPlain: boolean; lagP99Ms: boolean }> = {};
    for (const transport of transports) {
      const entry = figures.get(transport) as TransportFigures;
      const lag = entry.lag as LagResult;
      const sinkRate = Math.round(median(entry.sinkRuns.map((r) => r.rowsPerSecond)));
      const ratio = +(sinkRate / plainRate).toFixed(3);
      const target99 = TARGET_P99_MS[transport];
      met[transport] = { ratioSinkToPlain: ratio >= TARGET_RATIO[transport], lagP99Ms: lag.apply.p99Ms <= target99 };
      process.stdout.write(line(`[${transport}] (a) apply, ${rows} rows`, `${sinkRate} rows/s`, ""));
      process.stdout.write(
        line(
          `[${transport}] a/b`,
          String(ratio),
          `≥ ${TARGET_RATIO[transport]} (${ok(ratio >= TARGET_RATIO[transport])})`,
        ),
      );
      process.stdout.write(
        line(`[${transport}] (c) apply lag p50, ${rate}/s × ${seconds} s`, `${lag.apply.p50Ms} ms`, ""),
      );
      process.stdout.write(
        line(
          `[${transport}] (c) apply lag p99`,
          `${lag.apply.p99Ms} ms`,
          `≤ ${target99} ms (${ok(lag.apply.p99Ms <= target99)})`,
        ),
      );
      process.stdout.write(line(`[${transport}] (c) visible lag p50 / p99`, `${lag.p50Ms} / ${lag.p99Ms} ms`, ""));
      process.stdout.write(
        line(`[${transport}] (c) lag max (apply / visible)`, `${lag.apply.maxMs} / ${lag.maxMs} ms`, ""),
      );
      results[transport] = {
        sinkApply: { rowsPerSecond: sinkRate, runs: entry.sinkRuns.map((r) => r.rowsPerSecond) },
        ratioSinkToPlain: ratio,
        lag: {
          rate,
          seconds,
          writes: lag.writes,
          observed: lag.observed,
          achievedRate: lag.achievedRate,
          applyP50Ms: lag.apply.p50Ms,
          applyP99Ms: lag.apply.p99Ms,
          applyMaxMs: lag.apply.maxMs,
          visibleP50Ms: lag.p50Ms,
          visibleP99Ms: lag.p99Ms,
          visibleMaxMs: lag.maxMs,
        },
      };
    }
    process.stdout.write(
      `\nmedians of ${ROUNDS} alternating rounds, sink batches of ${SINK_BATCH_SIZE} (embedded, plain upsert) and ${KAFKA_SINK_BATCH_SIZE} (debezium consumer); apply lag = now − source.ts_ms when the sink's commit returned; visible lag = source commit acknowledged → row visible in user_profiles (polled by key)\n`,
    );
    process.stdout.write(
      `${JSON.stringify({
        benchmark: "cdc",
        transports,
        ...(pollIntervalMs === undefined ? {} : { debeziumPollIntervalMs: pollIntervalMs }),
        rows,
        rounds: ROUNDS,
        batchSize: SINK_BATCH_SIZE,
        kafkaSinkBatchSize: KAFKA_SINK_BATCH_SIZE,
        plainUpsert: { rowsPerSecond: plainRate, runs: plainRuns.map((r) => r.rowsPerSecond) },
        results,
        targets: { ratioSinkToPlain: TARGET_RATIO, applyLagP99Ms: TARGET_P99_MS },
        targetsMet: met,
      })}\n`,
    );
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    if (kafka) await kafka.stop().catch((error: unknown) => progress(`stopping Kafka: ${String(error)}\n`));
    if (scratch) {
      const problems = await scratch.cleanup();
      for (const p of problems) progress(`cleanup: ${p}\n`);
      if (problems.length === 0)
        progress(
          failed
            ? "cleanup done after the failure\n"
            : "cleanup done: scratch databases, slots, publications, origins and Kafka removed\n",
        );
    }
    logger.flush();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:cdc failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
