import type { BatchResult, SourcedEvent } from "../sink/event-sink";

/** What a stream counts of the batches its sink committed, for /status. */
export interface StreamCounters {
  /** Events the sink wrote to its dead-letter table. */
  readonly deadLettered: number;
  /** The last committed batch's lag: commit time minus the source commit time (ts_ms) of its last change; null before the first. */
  readonly lagSeconds: number | null;
  /** Changes read in watch mode and kept as violations (dead letters of kind `violation`). */
  readonly violations: number;
  /** When the last batch with a violation committed (ms since the epoch); null before the first. */
  readonly lastViolationAt: number | null;
  /** Counts one batch, once the target database committed it. */
  record(result: BatchResult, batch: readonly SourcedEvent[]): void;
}

/** Counters for one stream; `now` is the clock (ms since the epoch). */
export function createStreamCounters(now: () => number = Date.now): StreamCounters {
  let deadLettered = 0;
  let lagSeconds: number | null = null;
  let violations = 0;
  let lastViolationAt: number | null = null;
  return {
    get deadLettered() {
      return deadLettered;
    },
    get lagSeconds() {
      return lagSeconds;
    },
    get violations() {
      return violations;
    },
    get lastViolationAt() {
      return lastViolationAt;
    },
    record(result, batch) {
      deadLettered += result.deadLettered;
      if ((result.violations ?? 0) > 0) {
        violations += result.violations ?? 0;
        lastViolationAt = now();
      }
      for (let index = batch.length - 1; index >= 0; index -= 1) {
        const event = batch[index]?.event;
        if (!event) continue; // tombstones and undecodable messages carry no source time
        lagSeconds = Math.max(0, now() - event.source.ts_ms) / 1000;
        return;
      }
    },
  };
}
