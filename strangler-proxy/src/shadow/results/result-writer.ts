import type { ShadowResultBatch, ShadowResultStore } from "@strangler/toolkit-store";
import type { RateLimitedLog } from "../../logging/rate-limited-log";

/** Writes batches to the store in order, keeping a bounded backlog while the store fails. */
export interface ResultWriter {
  /** Queues a batch (an empty one is ignored); past the backlog bound the oldest is dropped and counted. */
  enqueue(batch: ShadowResultBatch): void;
  /** Writes what is queued, oldest first, until the store fails; never rejects. */
  drain(): Promise<void>;
  /** A write is under way (the timer then leaves it alone instead of queueing behind it). */
  busy(): boolean;
  stats(): { backlog: number; droppedBatches: number; writeFailures: number; written: number };
}

const isEmpty = (batch: ShadowResultBatch) =>
  batch.minutes.length === 0 && batch.noise.length === 0 && batch.examples.length === 0;

export function createResultWriter(store: ShadowResultStore, maxBacklog: number, log: RateLimitedLog): ResultWriter {
  const backlog: ShadowResultBatch[] = [];
  let droppedBatches = 0;
  let writeFailures = 0;
  let written = 0;
  let running: Promise<void> | undefined;

  const writeAll = async () => {
    while (backlog.length > 0) {
      const batch = backlog[0] as ShadowResultBatch;
      try {
        await store.write(batch);
      } catch (error) {
        writeFailures += 1;
        log(
          "warn",
          "shadow-results-write",
          { err: error, backlog: backlog.length, droppedBatches },
          "shadow results not written (kept, written again once the toolkit database answers)",
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
      if (isEmpty(batch)) return;
      backlog.push(batch);
      while (backlog.length > maxBacklog) {
        backlog.shift();
        droppedBatches += 1;
        log(
          "error",
          "shadow-results-dropped",
          { droppedBatches, maxBacklog },
          "shadow results dropped: the toolkit database has been unreachable too long",
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
