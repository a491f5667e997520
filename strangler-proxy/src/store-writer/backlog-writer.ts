import type { RateLimitedLog } from "../logging/rate-limited-log";

/** Writes batches to a toolkit-database store in order, keeping a bounded backlog while the store fails. */
export interface BacklogWriter<Batch> {
  /** Queues a batch (an empty one is ignored); past the backlog bound the oldest is dropped and counted. */
  enqueue(batch: Batch): void;
  /** Writes what is queued, oldest first, until the store fails; never rejects. */
  drain(): Promise<void>;
  /** A write is under way (the timer then leaves it alone instead of queueing behind it). */
  busy(): boolean;
  stats(): { backlog: number; droppedBatches: number; writeFailures: number; written: number };
}

export interface BacklogWriterOptions<Batch> {
  write(batch: Batch): Promise<void>;
  isEmpty(batch: Batch): boolean;
  maxBacklog: number;
  log: RateLimitedLog;
  /** What is written, for log messages ("shadow results"). */
  what: string;
  /** Prefix of the rate-limited log keys ("shadow-results"). */
  logKey: string;
}

/**
 * The proxy's writer to the toolkit database (shadow results, served traffic): the request path never
 * waits for it, a database that is down costs a bounded backlog (oldest dropped, counted, logged), and
 * batches reach the store one at a time, in order.
 */
export function createBacklogWriter<Batch>(options: BacklogWriterOptions<Batch>): BacklogWriter<Batch> {
  const { log, maxBacklog, what, logKey } = options;
  const backlog: Batch[] = [];
  let droppedBatches = 0;
  let writeFailures = 0;
  let written = 0;
  let running: Promise<void> | undefined;

  const writeAll = async () => {
    while (backlog.length > 0) {
      const batch = backlog[0] as Batch;
      try {
        await options.write(batch);
      } catch (error) {
        writeFailures += 1;
        log(
          "warn",
          `${logKey}-write`,
          { err: error, backlog: backlog.length, droppedBatches },
          `${what} not written (kept, written again once the toolkit database answers)`,
        );
        return;
      }
      // The batch may have been dropped from the backlog while it was being written.
      if (backlog[0] === batch) backlog.shift();
      written += 1;
    }
  };

  return {
    enqueue(batch) {
      if (options.isEmpty(batch)) return;
      backlog.push(batch);
      while (backlog.length > maxBacklog) {
        backlog.shift();
        droppedBatches += 1;
        log(
          "error",
          `${logKey}-dropped`,
          { droppedBatches, maxBacklog },
          `${what} dropped: the toolkit database has been unreachable too long`,
        );
      }
    },
    drain() {
      // One writer at a time, so batches reach the store in order; a drain during a write waits for
      // it, then writes what is left.
      if (running !== undefined) return running.then(() => (backlog.length > 0 ? this.drain() : undefined));
      const current = writeAll().finally(() => {
        running = undefined;
      });
      running = current;
      return current;
    },
    busy: () => running !== undefined,
    stats: () => ({ backlog: backlog.length, droppedBatches, writeFailures, written }),
  };
}
