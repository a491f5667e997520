// Part (c) of bench:cdc: lag through a real transport (embedded: publication + pgoutput slot on the
// source database; debezium: the Debezium connector on Kafka Connect → Kafka → the kafkajs consumer)
// → Debezium events → the sink → user_profiles. A writer commits R inserts or
// updates per second into the source `users` table for S seconds, paced on a schedule from one
// connection (it never bursts to catch up more than it fell behind, and stops after R×S writes).
// Every write puts a unique token into `name`; a poller reads the pending rows of the target by key
// and records, per write, the time from the source commit (the write's acknowledgement) to the
// token's visibility in user_profiles. The sink is wrapped to also record, per applied change, the
// apply lag: now − source.ts_ms (the source commit time) when the sink's commit returned.
import { randomUUID } from "node:crypto";
import { Client } from "pg";
import type { Logger } from "pino";
import type { DataTableConfig } from "@strangler/migration-config";
import { compileMappers, createEmbeddedSource, createSink, type EventSink } from "../../cdc/src";
import { BENCH_ORIGIN_PREFIX, BENCH_PUBLICATION, BENCH_SLOT } from "./cdc-scratch";

/** How changes travel from the source to the sink for one lag run. */
export interface LagPipeline {
  /** Starts the transport into `sink`; resolves once the preloaded rows are in the target (snapshot done). */
  start(sink: EventSink, preloadRows: number): Promise<void>;
  stop(): Promise<void>;
}

export interface LagOptions {
  /** Default: the embedded source on the scratch slot and publication. */
  pipeline?: LagPipeline;
  sourceUrl: string;
  targetUrl: string;
  table: DataTableConfig;
  rate: number;
  seconds: number;
  logger: Logger;
  progress: (text: string) => void;
}

export interface LagResult {
  writes: number;
  inserts: number;
  updates: number;
  /** Writes whose change was seen in the target. */
  observed: number;
  /** Writes per second actually achieved by the writer. */
  achievedRate: number;
  /** Writes that started more than 10 ms after their slot in the schedule. */
  lateWrites: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** now − source.ts_ms at the sink's commit, per applied streamed change. */
  apply: { observed: number; p50Ms: number; p99Ms: number; maxMs: number };
}

/** The embedded transport of part (c). */
export function embeddedPipeline(sourceUrl: string, table: DataTableConfig, logger: Logger): LagPipeline {
  let source: ReturnType<typeof createEmbeddedSource> | null = null;
  return {
    async start(sink) {
      source = createEmbeddedSource(
        { sourceUrl, tables: [table.source], slotName: BENCH_SLOT, publicationName: BENCH_PUBLICATION },
        { sink, logger },
      );
      await source.start();
    },
    stop: async () => source?.stop(),
  };
}

/** Wraps a sink to record now − source.ts_ms of every streamed (not snapshot) change in a committed batch. */
function timingSink(sink: EventSink, lags: number[]): EventSink {
  return {
    async applyBatch(batch) {
      const result = await sink.applyBatch(batch);
      const now = Date.now();
      for (const { event } of batch) if (event && event.op !== "r") lags.push(now - event.source.ts_ms);
      return result;
    },
    close: () => sink.close(),
  };
}

/** How long to wait after the last write for the last changes to arrive. */
const DRAIN_TIMEOUT_MS = 15_000;
/** Rows in the source table before the load starts (targets for the first updates; snapshotted). */
const PRELOAD_ROWS = 200;

interface Pending {
  token: string;
  committedAt: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writer connections of the lag load (each commit waits for its WAL flush: several commit at once). */
const LAG_WRITERS = 16;

async function connectWriters(sourceUrl: string, count: number): Promise<Client[]> {
  const clients = Array.from(
    { length: count },
    () => new Client({ connectionString: sourceUrl, application_name: "strangler-bench-cdc-writer" }),
  );
  for (const client of clients) client.on("error", () => undefined);
  await Promise.all(clients.map((client) => client.connect()));
  return clients;
}

export async function runLag(options: LagOptions): Promise<LagResult> {
  const { table, rate, seconds, progress } = options;
  const writer = new Client({ connectionString: options.sourceUrl, application_name: "strangler-bench-cdc-writer" });
  const poller = new Client({ connectionString: options.targetUrl, application_name: "strangler-bench-cdc-poller" });
  for (const c of [writer, poller]) c.on("error", () => undefined);
  await writer.connect();
  await poller.connect();
  const sink = createSink(
    {
      targetUrl: options.targetUrl,
      mappings: compileMappers([table], "forward"),
      direction: "bench-cdc-lag",
      replicationOrigin: `${BENCH_ORIGIN_PREFIX}_lag`,
    },
    { logger: options.logger },
  );
  const applyLags: number[] = [];
  const timed = timingSink(sink, applyLags);
  const pipeline = options.pipeline ?? embeddedPipeline(options.sourceUrl, table, options.logger);
  try {
    const settled: string[] = [];
    for (let i = 0; i < PRELOAD_ROWS; i++) {
      const id = randomUUID();
      await writer.query(`INSERT INTO users (id, email, name, updated_at) VALUES ($1, $2, $3, now())`, [
        id,
        `pre-${i}@bench.invalid`,
        `Bench pre${i}`,
      ]);
      settled.push(id);
    }
    await pipeline.start(timed, PRELOAD_ROWS);
    progress(`stream started (snapshot of ${PRELOAD_ROWS} rows done); writing ${rate}/s for ${seconds} s…\n`);
    applyLags.length = 0;

    const pending = new Map<string, Pending>();
    const lags: number[] = [];
    let polling = true;
    const pollLoop = (async () => {
      while (polling || pending.size > 0) {
        if (pending.size === 0) {
          await sleep(1);
          continue;
        }
        const ids = [...pending.keys()];
        const rows = await poller.query<{ id: string; last_name: string }>(
          `SELECT user_id::text AS id, last_name FROM user_profiles WHERE user_id = ANY($1::uuid[])`,
          [ids],
        );
        const seenAt = Date.now();
        for (const row of rows.rows) {
          const p = pending.get(row.id);
          if (p && row.last_name === p.token) {
            lags.push(seenAt - p.committedAt);
            pending.delete(row.id);
            settled.push(row.id);
          }
        }
        await sleep(1);
      }
    })();

    const writers = [writer, ...(await connectWriters(options.sourceUrl, LAG_WRITERS - 1))];
    const total = Math.round(rate * seconds);
    const interval = 1000 / rate;
    let inserts = 0;
    let updates = 0;
    let lateWrites = 0;
    const started = Date.now();
    let writeMs = 0;
    let missing = 0;
    let next = 0;
    // Several connections share the schedule: one connection commits (and waits for its WAL flush)
    // a few hundred times a second at most, short of the rates asked for.
    const writeLoop = async (client: Client): Promise<void> => {
      for (let i = next++; i < total; i = next++) {
        const due = started + i * interval;
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
        else if (wait < -10) lateWrites += 1;
        const token = `t${i}`;
        // Half inserts, half updates of rows whose previous change has already arrived (so no write hides another).
        const updateTarget =
          i % 2 === 1 && settled.length > 0
            ? settled.splice(Math.floor(Math.random() * settled.length), 1)[0]
            : undefined;
        let id: string;
        if (updateTarget !== undefined) {
          id = updateTarget;
          await client.query(`UPDATE users SET name = $2, updated_at = now() WHERE id = $1`, [id, `Bench ${token}`]);
          updates += 1;
        } else {
          id = randomUUID();
          await client.query(`INSERT INTO users (id, email, name, updated_at) VALUES ($1, $2, $3, now())`, [
            id,
            `lag-${i}@bench.invalid`,
            `Bench ${token}`,
          ]);
          inserts += 1;
        }
        pending.set(id, { token, committedAt: Date.now() });
      }
    };
    try {
      await Promise.all(writers.map(writeLoop));
    } finally {
      writeMs = Date.now() - started;
      await Promise.all(writers.slice(1).map((client) => client.end().catch(() => undefined)));
      const drainUntil = Date.now() + DRAIN_TIMEOUT_MS;
      while (pending.size > 0 && Date.now() < drainUntil) await sleep(20);
      polling = false;
      missing = pending.size;
      pending.clear();
      await pollLoop;
    }
    if (missing > 0)
      progress(`warning: ${missing} writes not visible in the target ${DRAIN_TIMEOUT_MS} ms after the load\n`);
    lags.sort((a, b) => a - b);
    applyLags.sort((a, b) => a - b);
    return {
      writes: inserts + updates,
      inserts,
      updates,
      observed: lags.length,
      achievedRate: Math.round(((inserts + updates) / writeMs) * 1000),
      lateWrites,
      p50Ms: percentile(lags, 50),
      p99Ms: percentile(lags, 99),
      maxMs: lags[lags.length - 1] ?? Number.NaN,
      apply: {
        observed: applyLags.length,
        p50Ms: percentile(applyLags, 50),
        p99Ms: percentile(applyLags, 99),
        maxMs: applyLags[applyLags.length - 1] ?? Number.NaN,
      },
    };
  } finally {
    await pipeline.stop().catch((error: unknown) => progress(`stopping the stream failed: ${String(error)}\n`));
    await sink.close().catch(() => undefined);
    await writer.end().catch(() => undefined);
    await poller.end().catch(() => undefined);
  }
}
