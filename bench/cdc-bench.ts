// npm run bench:cdc — in one run, on the project's own PostgreSQL and two scratch databases:
// (a) the rate at which the sink applies a burst of N row changes (users → user_profiles of the
// example config, built in memory, fed to sink.applyBatch in the sink's default batch size);
// (b) a plain batched upsert of the same rows into the same table, the practical limit;
// (c) the lag p50/p99 from source commit to visibility in the target under a steady write load
// through the real embedded path. (a) and (b) alternate for 3 rounds; medians are reported.
// Last line: one JSON object with the figures and a/b.
import path from "node:path";
import { parseArgs } from "node:util";
import { Client } from "pg";
import pino from "pino";
import { DEFAULT_CONFIG_PATH, loadMigrationConfig, type DataTableConfig } from "@strangler/migration-config";
import { compileMappers, createSink, SINK_BATCH_SIZE } from "../cdc/src";
import { countTarget, makeEventBatches, makeUsers, resetTarget, runPlainUpsert, runSinkBurst, type RunResult } from "./support/cdc-burst";
import { runLag, type LagResult } from "./support/cdc-lag";
import { BENCH_ORIGIN_PREFIX, createCdcScratch, type CdcScratch } from "./support/cdc-scratch";

const TRANSPORTS = ["embedded"] as const;
const ROUNDS = 3;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 200;

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    rate: { type: "string", default: "200" },
    seconds: { type: "string", default: "20" },
    transport: { type: "string", default: "embedded" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write(
    "Usage: npm run bench:cdc -- [--rows 100000] [--rate 200] [--seconds 20] [--transport embedded]\n" +
      "  (a) sink apply rate for a burst of --rows changes, (b) plain batched upsert of the same rows,\n" +
      "  (c) lag p50/p99 under --rate writes/s for --seconds s through the --transport path.\n",
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
const transport = values.transport;
if (!(TRANSPORTS as readonly string[]).includes(transport)) {
  process.stderr.write(`bench:cdc: --transport ${transport} is not available (only: ${TRANSPORTS.join(", ")}; debezium comes with issue 5)\n`);
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
  const table = config.services.flatMap((s) => s.data?.tables ?? []).find((t) => t.source === "users" && t.target === "user_profiles");
  if (!table) throw new Error("the example migration config maps no users → user_profiles table");
  return table;
}

async function main(): Promise<void> {
  const table = exampleUsersMapping();
  const logger = pino({ level: "warn" }, pino.destination(2));
  let scratch: CdcScratch | null = null;
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
        void created.cleanup().finally(() => process.exit(130));
      });
    }
    const users = makeUsers(rows);
    const target = new Client({ connectionString: scratch.targetUrl, application_name: "strangler-bench-cdc-upsert" });
    target.on("error", () => undefined);
    await target.connect();
    const sink = createSink(
      { targetUrl: scratch.targetUrl, mappings: compileMappers([table], "forward"), direction: "bench-cdc-burst", replicationOrigin: `${BENCH_ORIGIN_PREFIX}_burst` },
      { logger },
    );
    const sinkRuns: RunResult[] = [];
    const plainRuns: RunResult[] = [];
    try {
      // Warm-up: the sink creates its schema and origin, both paths touch the table once.
      await resetTarget(target, table);
      await runSinkBurst(sink, makeEventBatches(users.slice(0, SINK_BATCH_SIZE), table, SINK_BATCH_SIZE, 1));
      await resetTarget(target, table);
      await runPlainUpsert(target, users.slice(0, SINK_BATCH_SIZE), SINK_BATCH_SIZE);
      for (let round = 1; round <= ROUNDS; round++) {
        const batches = makeEventBatches(users, table, SINK_BATCH_SIZE, 1);
        await resetTarget(target, table);
        const a = await runSinkBurst(sink, batches);
        if ((await countTarget(target, table)) !== rows) throw new Error("(a) left a different number of rows than it was given");
        sinkRuns.push(a);
        progress(`round ${round}/${ROUNDS} (a) sink.applyBatch      ${String(a.rowsPerSecond).padStart(8)} rows/s  (${(a.ms / 1000).toFixed(2)} s)\n`);
        await resetTarget(target, table);
        const b = await runPlainUpsert(target, users, SINK_BATCH_SIZE);
        if ((await countTarget(target, table)) !== rows) throw new Error("(b) left a different number of rows than it was given");
        plainRuns.push(b);
        progress(`round ${round}/${ROUNDS} (b) plain unnest upsert  ${String(b.rowsPerSecond).padStart(8)} rows/s  (${(b.ms / 1000).toFixed(2)} s)\n`);
      }
      await resetTarget(target, table);
    } finally {
      await sink.close().catch(() => undefined);
      await target.end().catch(() => undefined);
    }

    const lag: LagResult = await runLag({ sourceUrl: scratch.sourceUrl, targetUrl: scratch.targetUrl, table, rate, seconds, logger, progress });
    progress(`(c) ${lag.writes} writes (${lag.inserts} inserts, ${lag.updates} updates) at ${lag.achievedRate}/s, ${lag.observed} seen in the target, ${lag.lateWrites} started > 10 ms late\n`);

    const sinkRate = Math.round(median(sinkRuns.map((r) => r.rowsPerSecond)));
    const plainRate = Math.round(median(plainRuns.map((r) => r.rowsPerSecond)));
    const ratio = +(sinkRate / plainRate).toFixed(3);
    const ok = (pass: boolean) => (pass ? "met" : "MISSED");
    const line = (label: string, value: string, targetText: string) => `${label.padEnd(40)}${value.padStart(12)}   ${targetText}\n`;
    process.stdout.write(`\n${"figure".padEnd(40)}${"value".padStart(12)}   target\n`);
    process.stdout.write(line(`(a) sink apply, ${rows} rows`, `${sinkRate} rows/s`, ""));
    process.stdout.write(line(`(b) plain batched upsert, ${rows} rows`, `${plainRate} rows/s`, ""));
    process.stdout.write(line("a/b", String(ratio), `≥ ${TARGET_RATIO} (${ok(ratio >= TARGET_RATIO)})`));
    process.stdout.write(line(`(c) lag p50, ${rate}/s × ${seconds} s, ${transport}`, `${lag.p50Ms} ms`, ""));
    process.stdout.write(line(`(c) lag p99, ${rate}/s × ${seconds} s, ${transport}`, `${lag.p99Ms} ms`, `≤ ${TARGET_P99_MS} ms (${ok(lag.p99Ms <= TARGET_P99_MS)})`));
    process.stdout.write(line("(c) lag max", `${lag.maxMs} ms`, ""));
    process.stdout.write(
      `\nmedians of ${ROUNDS} alternating rounds, batches of ${SINK_BATCH_SIZE}; lag = source commit acknowledged → row visible in user_profiles (polled by key), ${lag.observed}/${lag.writes} changes seen\n`,
    );
    process.stdout.write(
      `${JSON.stringify({
        benchmark: "cdc",
        transport,
        rows,
        rounds: ROUNDS,
        batchSize: SINK_BATCH_SIZE,
        sinkApply: { rowsPerSecond: sinkRate, runs: sinkRuns.map((r) => r.rowsPerSecond) },
        plainUpsert: { rowsPerSecond: plainRate, runs: plainRuns.map((r) => r.rowsPerSecond) },
        ratioSinkToPlain: ratio,
        lag: { rate, seconds, writes: lag.writes, observed: lag.observed, achievedRate: lag.achievedRate, p50Ms: lag.p50Ms, p99Ms: lag.p99Ms, maxMs: lag.maxMs },
        targets: { ratioSinkToPlain: TARGET_RATIO, lagP99Ms: TARGET_P99_MS },
        targetsMet: { ratioSinkToPlain: ratio >= TARGET_RATIO, lagP99Ms: lag.p99Ms <= TARGET_P99_MS },
      })}\n`,
    );
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    if (scratch) {
      const problems = await scratch.cleanup();
      for (const p of problems) progress(`cleanup: ${p}\n`);
      if (problems.length === 0) progress(failed ? "cleanup done after the failure\n" : "cleanup done: scratch databases, slot, publication and origins dropped\n");
    }
    logger.flush();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:cdc failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
