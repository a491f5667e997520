import type { ShadowExchange, ShadowSink, ShadowSkipReason } from "../../src/shadow/shadow-sink";

/** A ShadowSink that keeps what it is handed, for tests to look at. */
export interface RecordingShadowSink extends ShadowSink {
  exchanges: ShadowExchange[];
  skips: Array<{ routeId: string; service: string; reason: ShadowSkipReason }>;
  /** Resolves once `count` exchanges were recorded; rejects after waitMs (the test then fails on its message). */
  waitForExchanges(count: number, waitMs?: number): Promise<void>;
}

const POLL_MS = 10;

/** A sink that records every exchange and skip. */
export function createRecordingShadowSink(): RecordingShadowSink {
  const sink: RecordingShadowSink = {
    exchanges: [],
    skips: [],
    record(exchange) {
      sink.exchanges.push(exchange);
    },
    skipped(routeId, service, reason) {
      sink.skips.push({ routeId, service, reason });
    },
    async waitForExchanges(count, waitMs = 10_000) {
      for (let waited = 0; sink.exchanges.length < count; waited += POLL_MS) {
        if (waited >= waitMs) throw new Error(`${sink.exchanges.length} shadow exchanges recorded, expected ${count}`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
  };
  return sink;
}
