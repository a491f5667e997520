import type { Logger } from "pino";
import type { BatchResult, EventSink, SourcedEvent } from "../sink/event-sink";
import { isTransientError } from "../sink/transient-error";
import { SINK_BATCH_RETRY } from "../defaults";
import { createRetrier, type RetryPolicy } from "../retry/retrier";

/** The queue was stopped before the events were committed: nothing of them may be acknowledged. */
export class SinkQueueStoppedError extends Error {
  readonly code = "CDC_SINK_QUEUE_STOPPED";
  readonly retriable = true;
  constructor() {
    super("the sink queue stopped before the events were committed");
    this.name = "SinkQueueStoppedError";
  }
}

interface Item {
  events: readonly SourcedEvent[];
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface SinkQueueOptions {
  /** Events per sink transaction at most (chunks of several partitions are merged up to this). */
  batchSize: number;
  /** Called with true while the sink is behind (queue above the high-water mark or failing), false once it caught up. */
  onBackpressure?: (behind: boolean) => void;
  /** Called with the error of each failed sink transaction, and with null once one commits again. */
  onSinkError?: (error: unknown) => void;
  highWater: number;
  lowWater: number;
  /** How a failed sink transaction is retried; default SINK_BATCH_RETRY. */
  retry?: RetryPolicy;
}

export interface SinkQueue {
  /** Resolves once the sink committed these events (after retries); rejects with SinkQueueStoppedError on stop(). */
  enqueue(events: readonly SourcedEvent[]): Promise<void>;
  /** Events waiting or in flight. */
  size(): number;
  /** Stops retrying and rejects what is not committed; resolves when the batch in flight settled. */
  stop(): Promise<void>;
}

/**
 * One sink, fed by the partitions' batch handlers: applies queued chunks one sink transaction at a
 * time (merging chunks up to `batchSize`), retries a failed transaction with backoff (nothing is
 * acknowledged meanwhile) and signals backpressure so the consumer can pause its partitions.
 */
export function createSinkQueue(
  sink: EventSink,
  logger: Logger,
  options: SinkQueueOptions,
  onResult: (result: BatchResult) => void,
): SinkQueue {
  const queue: Item[] = [];
  let queued = 0;
  let inFlight = 0;
  let running: Promise<void> | null = null;
  let stopped = false;
  let failing = false;
  let behind = false;
  let wake: (() => void) | null = null;

  const signal = () => {
    const now = failing || queued + inFlight > options.highWater || (behind && queued + inFlight > options.lowWater);
    if (now !== behind) {
      behind = now;
      options.onBackpressure?.(now);
    }
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  // A new drain also starts when items arrived between the last loop check and the drain's end.
  function kick(): void {
    if (running || stopped) return;
    running = drain().finally(() => {
      running = null;
      if (queue.length > 0) kick();
    });
  }

  async function drain(): Promise<void> {
    while (queue.length > 0 && !stopped) {
      const taken: Item[] = [];
      let count = 0;
      while (
        queue.length > 0 &&
        (taken.length === 0 || count + (queue[0] as Item).events.length <= options.batchSize)
      ) {
        const item = queue.shift() as Item;
        taken.push(item);
        count += item.events.length;
      }
      queued -= count;
      inFlight = count;
      const batch = taken.flatMap((item) => item.events);
      const retrier = createRetrier(options.retry ?? SINK_BATCH_RETRY);
      for (;;) {
        let result: BatchResult;
        try {
          result = await sink.applyBatch(batch);
        } catch (error) {
          if (!stopped) {
            failing = true;
            options.onSinkError?.(error);
            signal();
            const transient = isTransientError(error);
            const delay = retrier.failed();
            logger[transient ? "warn" : "error"](
              { err: error, events: batch.length, retryInMs: delay, transient },
              "sink batch failed; nothing acknowledged, retrying",
            );
            await sleep(delay);
          }
          if (stopped) {
            inFlight = 0;
            for (const item of taken) item.reject(new SinkQueueStoppedError());
            break;
          }
          continue;
        }
        if (failing) options.onSinkError?.(null);
        failing = false;
        inFlight = 0;
        try {
          onResult(result);
        } catch (error) {
          logger.error({ err: error }, "sink result callback failed");
        }
        for (const item of taken) item.resolve();
        break;
      }
      signal();
    }
  }

  return {
    enqueue(events) {
      if (stopped) return Promise.reject(new SinkQueueStoppedError());
      if (events.length === 0) return Promise.resolve();
      const done = new Promise<void>((resolve, reject) => queue.push({ events, resolve, reject }));
      queued += events.length;
      signal();
      kick();
      return done;
    },
    size: () => queued + inFlight,
    async stop() {
      stopped = true;
      wake?.();
      for (const item of queue.splice(0)) item.reject(new SinkQueueStoppedError());
      queued = 0;
      await running;
    },
  };
}
