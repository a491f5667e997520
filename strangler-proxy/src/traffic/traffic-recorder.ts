import type { TrafficMinuteDelta, TrafficStore } from "@strangler/toolkit-store";
import type { Logger } from "pino";
import {
  REPEATED_LOG_INTERVAL,
  TRAFFIC_BACKLOG_MAX,
  TRAFFIC_FLUSH_INTERVAL,
  TRAFFIC_PRUNE_INTERVAL,
} from "../defaults";
import { createRateLimitedLog } from "../logging/rate-limited-log";
import { createBacklogWriter } from "../store-writer/backlog-writer";
import { createTrafficAggregator } from "./traffic-aggregator";
import type { TrafficSink } from "./traffic-sink";

const DAY_MS = 86_400_000;

export interface TrafficRecorderDeps {
  store: TrafficStore;
  /** toolkit.retention.days: older minutes are pruned. */
  retentionDays: number;
  logger: Logger;
  now?: () => number;
  /** Bounds, for tests (default: the TRAFFIC_* constants). */
  limits?: Partial<{ flushIntervalMs: number; backlogMax: number; pruneIntervalMs: number }>;
}

/** The served-traffic sink that writes to the toolkit database; flush() writes what was counted, close() also stops it. */
export interface TrafficRecorder extends TrafficSink {
  flush(): Promise<void>;
  /** Writes what was counted (the last batch of a graceful shutdown), stops the timers and closes the store. */
  close(): Promise<void>;
  stats(): { backlog: number; droppedBatches: number; writeFailures: number; written: number };
}

/**
 * Served traffic off the request path: record() adds to in-memory counters per minute, route and
 * side; an unref'd timer hands them to a bounded-backlog writer every flush interval. Every proxy
 * worker and replica writes its own deltas and the store adds them up. With the toolkit database
 * down it keeps counting, keeps a bounded backlog and logs what it dropped.
 */
export function createTrafficRecorder(deps: TrafficRecorderDeps): TrafficRecorder {
  const now = deps.now ?? Date.now;
  const limits = {
    flushIntervalMs: TRAFFIC_FLUSH_INTERVAL,
    backlogMax: TRAFFIC_BACKLOG_MAX,
    pruneIntervalMs: TRAFFIC_PRUNE_INTERVAL,
    ...deps.limits,
  };
  const log = createRateLimitedLog(deps.logger.child({ component: "served-traffic" }), REPEATED_LOG_INTERVAL, now);
  const aggregator = createTrafficAggregator();
  const writer = createBacklogWriter<TrafficMinuteDelta[]>({
    write: (batch) => deps.store.write(batch),
    isEmpty: (batch) => batch.length === 0,
    maxBacklog: limits.backlogMax,
    log,
    what: "served traffic",
    logKey: "served-traffic",
  });
  let closed = false;

  const tick = () => {
    writer.enqueue(aggregator.take());
    // A write still under way (a slow or unreachable database) is not queued behind: the batch waits in the backlog.
    if (!writer.busy()) void writer.drain();
  };
  const prune = async () => {
    try {
      await deps.store.prune(new Date(now() - deps.retentionDays * DAY_MS));
    } catch (error) {
      log("warn", "served-traffic-prune", { err: error }, "old served traffic not pruned");
    }
  };
  const timers = [setInterval(tick, limits.flushIntervalMs), setInterval(() => void prune(), limits.pruneIntervalMs)];
  // Timers never keep the process alive: the proxy's servers do, and close() flushes.
  for (const timer of timers) timer.unref();

  const flush = async () => {
    writer.enqueue(aggregator.take());
    await writer.drain();
  };
  return {
    record(route, side, error, ms) {
      if (!closed) aggregator.add(now(), route, side, error, ms);
    },
    flush,
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearInterval(timer);
      await flush();
      await deps.store.close();
    },
    stats: () => writer.stats(),
  };
}
