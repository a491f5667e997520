import { randomUUID } from "node:crypto";
import type { MigrationConfig } from "@strangler/migration-config";
import type { ShadowResultStore } from "@strangler/toolkit-store";
import type { Logger } from "pino";
import { Counter, type Metric } from "prom-client";
import {
  REPEATED_LOG_INTERVAL,
  SHADOW_COMPARE_BATCH,
  SHADOW_COMPARE_QUEUE_MAX,
  SHADOW_COMPARE_QUEUE_MAX_BYTES,
  SHADOW_NOISE_REFRESH_INTERVAL,
  SHADOW_PRUNE_INTERVAL,
  SHADOW_RESULTS_BACKLOG_MAX,
  SHADOW_RESULTS_FLUSH_INTERVAL,
} from "../../defaults";
import { createRateLimitedLog } from "../../logging/rate-limited-log";
import type { CallOutcome, ShadowExchange, ShadowSink } from "../shadow-sink";
import { judgeExchange } from "./exchange-verdict";
import { createNoiseModel } from "./noise-model";
import { createResultAggregator } from "./result-aggregator";
import { createResultWriter } from "./result-writer";
import { buildShadowExample } from "./shadow-example";
import { compileShadowRoutePlans } from "./shadow-route-plans";

const DAY_MS = 86_400_000;

export interface ShadowPipelineDeps {
  migration: MigrationConfig;
  /** Where results go; without one they are only counted in metrics (no toolkit.database). */
  store?: ShadowResultStore;
  logger: Logger;
  now?: () => number;
  /** Bounds, for tests (default: the SHADOW_* constants). */
  limits?: Partial<{
    queueMax: number;
    queueMaxBytes: number;
    backlogMax: number;
    flushIntervalMs: number;
    noiseRefreshIntervalMs: number;
    pruneIntervalMs: number;
  }>;
}

export interface ShadowPipelineStats {
  queued: number;
  judged: number;
  mismatches: number;
  /** Exchanges dropped because the compare queue was full. */
  dropped: number;
  backlog: number;
  droppedBatches: number;
  writeFailures: number;
  written: number;
}

/** The shadow sink that compares and stores; flush() writes everything judged so far, close() also stops it. */
export interface ShadowPipeline extends ShadowSink {
  flush(): Promise<void>;
  close(): Promise<void>;
  stats(): ShadowPipelineStats;
  /** Its Prometheus metrics (strangler_proxy_shadow_compare_*), for the proxy's registry. */
  metrics(): Metric[];
}

const sizeOf = (outcome: CallOutcome | undefined) =>
  outcome?.kind === "answered" ? outcome.answer.body.byteLength : 0;
const bytesOf = (e: ShadowExchange) =>
  sizeOf(e.primaryOutcome) + sizeOf(e.candidateOutcome) + sizeOf(e.primaryAgain) + (e.requestBody?.byteLength ?? 0);

/**
 * Shadow results off the request path: record() only queues (bounded; never blocks, never throws);
 * comparisons run a few at a time on later turns of the event loop; counts per route and minute,
 * learnt noise and sampled examples are written in one batch per interval by an unref'd timer. With
 * the toolkit database down it keeps judging, keeps a bounded backlog and logs what it dropped.
 */
export function createShadowPipeline(deps: ShadowPipelineDeps): ShadowPipeline {
  const now = deps.now ?? Date.now;
  const logger = deps.logger.child({ component: "shadow-results" });
  const log = createRateLimitedLog(logger, REPEATED_LOG_INTERVAL, now);
  const limits = {
    queueMax: SHADOW_COMPARE_QUEUE_MAX,
    queueMaxBytes: SHADOW_COMPARE_QUEUE_MAX_BYTES,
    backlogMax: SHADOW_RESULTS_BACKLOG_MAX,
    flushIntervalMs: SHADOW_RESULTS_FLUSH_INTERVAL,
    noiseRefreshIntervalMs: SHADOW_NOISE_REFRESH_INTERVAL,
    pruneIntervalMs: SHADOW_PRUNE_INTERVAL,
    ...deps.limits,
  };
  const plans = compileShadowRoutePlans(deps.migration);
  const noise = createNoiseModel();
  const aggregator = createResultAggregator();
  const writer = deps.store ? createResultWriter(deps.store, limits.backlogMax, log) : undefined;
  const comparedTotal = new Counter({
    name: "strangler_proxy_shadow_compare_total",
    help: "Shadow exchanges judged, by route and verdict (match, mismatch, noise_only, cdc_first, candidate_error, candidate_timeout, skipped)",
    labelNames: ["route", "verdict"],
    registers: [],
  });
  const droppedTotal = new Counter({
    name: "strangler_proxy_shadow_compare_dropped_total",
    help: "Shadow exchanges not compared because the compare queue was full",
    labelNames: ["route"],
    registers: [],
  });
  const queue: ShadowExchange[] = [];
  let queuedBytes = 0;
  let scheduled: NodeJS.Immediate | undefined;
  let closed = false;
  const counts = { judged: 0, mismatches: 0, dropped: 0 };

  const judgeOne = (exchange: ShadowExchange) => {
    const plan = plans.get(exchange.routeId);
    if (plan === undefined) return aggregator.skip(exchange.at, exchange.routeId, exchange.service, "unknown_route");
    const verdict = judgeExchange(exchange, plan, noise);
    counts.judged += 1;
    comparedTotal.labels(exchange.routeId, VERDICT_LABEL[verdict.kind]).inc();
    if (verdict.kind !== "mismatch") return void aggregator.add(exchange, verdict);
    counts.mismatches += 1;
    if (aggregator.add(exchange, verdict))
      aggregator.addExample(buildShadowExample(randomUUID(), exchange, verdict.signature, verdict.differences));
  };
  const judgeSome = (max: number) => {
    for (let n = 0; n < max && queue.length > 0; n += 1) {
      const exchange = queue.shift() as ShadowExchange;
      queuedBytes -= bytesOf(exchange);
      try {
        judgeOne(exchange);
      } catch (error) {
        // A comparator failure costs one exchange, never the pipeline.
        aggregator.skip(exchange.at, exchange.routeId, exchange.service, "compare_failed");
        log(
          "error",
          "shadow-compare-failed",
          { err: error, route: exchange.routeId },
          "comparing a shadow exchange failed",
        );
      }
    }
  };
  const schedule = () => {
    if (scheduled !== undefined || queue.length === 0) return;
    scheduled = setImmediate(() => {
      scheduled = undefined;
      judgeSome(SHADOW_COMPARE_BATCH);
      schedule();
    });
  };
  const takeBatch = () => {
    const { minutes, examples } = aggregator.take();
    return { minutes, examples, noise: noise.takeDeltas() };
  };
  const flushToStore = async () => {
    const batch = takeBatch();
    if (writer === undefined) return;
    writer.enqueue(batch);
    await writer.drain();
  };
  const tick = () => {
    const batch = takeBatch();
    if (writer === undefined) return;
    writer.enqueue(batch);
    // A write still under way (a slow or unreachable database) is not queued behind: the batch waits in the backlog.
    if (!writer.busy()) void writer.drain();
  };
  const refreshNoise = async () => {
    if (deps.store === undefined) return;
    try {
      noise.reseed(await deps.store.noise());
    } catch (error) {
      log("warn", "shadow-noise-refresh", { err: error }, "learnt noise not read from the toolkit database");
    }
  };
  const prune = async () => {
    try {
      await deps.store?.prune(now() - deps.migration.toolkit.retention.days * DAY_MS);
    } catch (error) {
      log("warn", "shadow-prune", { err: error }, "old shadow results not pruned");
    }
  };
  const timers = [
    setInterval(tick, limits.flushIntervalMs),
    setInterval(() => void refreshNoise(), limits.noiseRefreshIntervalMs),
    setInterval(() => void prune(), limits.pruneIntervalMs),
  ];
  // Timers never keep the process alive: the proxy's servers do, and close() flushes.
  for (const timer of timers) timer.unref();
  void refreshNoise();

  return {
    record(exchange) {
      if (closed) return;
      const bytes = bytesOf(exchange);
      if (queue.length >= limits.queueMax || queuedBytes + bytes > limits.queueMaxBytes) {
        counts.dropped += 1;
        droppedTotal.labels(exchange.routeId).inc();
        aggregator.skip(exchange.at, exchange.routeId, exchange.service, "dropped");
        log(
          "warn",
          "shadow-compare-dropped",
          { route: exchange.routeId, queued: queue.length },
          "shadow exchange dropped: compare queue full",
        );
        return;
      }
      queue.push(exchange);
      queuedBytes += bytes;
      schedule();
    },
    skipped(routeId, service, reason) {
      if (!closed) aggregator.skip(now(), routeId, service, reason);
    },
    async flush() {
      judgeSome(Number.POSITIVE_INFINITY);
      await flushToStore();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearInterval(timer);
      if (scheduled !== undefined) clearImmediate(scheduled);
      scheduled = undefined;
      judgeSome(Number.POSITIVE_INFINITY);
      await flushToStore();
      await deps.store?.close();
    },
    stats: () => ({
      queued: queue.length,
      ...counts,
      ...(writer?.stats() ?? { backlog: 0, droppedBatches: 0, writeFailures: 0, written: 0 }),
    }),
    metrics: () => [comparedTotal, droppedTotal],
  };
}

const VERDICT_LABEL = {
  match: "match",
  mismatch: "mismatch",
  noiseOnly: "noise_only",
  cdcFirst: "cdc_first",
  candidateError: "candidate_error",
  candidateTimeout: "candidate_timeout",
  skipped: "skipped",
} as const;
