import type { ChangeEvent } from "../../envelope/debezium-envelope";
import type { BatchResult, EventSink, SourcedEvent } from "../../sink/event-sink";

/** An in-memory EventSink for tests: records every committed event and can be told to fail. */
export interface RecordingSink extends EventSink {
  readonly events: ChangeEvent[];
  readonly batches: number;
  /** The next `count` applyBatch calls reject (nothing recorded), as a target database outage would. */
  failNext(count: number): void;
  /** Resolves once `predicate` holds for the recorded events; rejects after `timeoutMs`. */
  waitFor(predicate: (events: readonly ChangeEvent[]) => boolean, timeoutMs?: number): Promise<void>;
}

const WAIT_POLL_MS = 20;
const DEFAULT_WAIT_MS = 15_000;

export function createRecordingSink(): RecordingSink {
  const events: ChangeEvent[] = [];
  let failures = 0;
  let batches = 0;
  return {
    events,
    get batches() {
      return batches;
    },
    async applyBatch(batch: readonly SourcedEvent[]): Promise<BatchResult> {
      if (failures > 0) {
        failures -= 1;
        throw new Error("recording sink: injected failure");
      }
      batches += 1;
      let highestLsn: number | null = null;
      for (const { event } of batch) {
        if (!event) continue;
        events.push(event);
        highestLsn = Math.max(highestLsn ?? 0, event.source.lsn);
      }
      return { applied: batch.length, skipped: 0, deadLettered: 0, conflicts: 0, highestLsn };
    },
    async close() {},
    failNext(count) {
      failures = count;
    },
    async waitFor(predicate, timeoutMs = DEFAULT_WAIT_MS) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline)
          throw new Error(`recording sink: condition not met after ${timeoutMs} ms (${events.length} events)`);
        await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      }
    },
  };
}
