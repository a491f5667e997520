import type { ShadowExchange, ShadowSink, ShadowSkipReason } from "../../src/shadow/shadow-sink";

/** A ShadowSink that keeps what it is handed, for tests to look at. */
export interface RecordingShadowSink extends ShadowSink {
  /** The exchanges recorded (none kept when created with keepExchanges: false). */
  exchanges: ShadowExchange[];
  /** Exchanges recorded, by the candidate's outcome. */
  candidateOutcomes: Record<string, number>;
  /** The skips (none kept when created with keepExchanges: false). */
  skips: Array<{ routeId: string; service: string; reason: ShadowSkipReason }>;
  /** Skips by reason. */
  skipCounts: Record<string, number>;
  /** Resolves once `count` exchanges were recorded; rejects after waitMs (the test then fails on its message). */
  waitForExchanges(count: number, waitMs?: number): Promise<void>;
}

const POLL_MS = 10;

/** A sink that records every exchange and skip; with keepExchanges false it only counts them (a memory test). */
export function createRecordingShadowSink(keepExchanges = true): RecordingShadowSink {
  const sink: RecordingShadowSink = {
    exchanges: [],
    candidateOutcomes: {},
    skips: [],
    skipCounts: {},
    record(exchange) {
      const kind = exchange.candidateOutcome.kind;
      sink.candidateOutcomes[kind] = (sink.candidateOutcomes[kind] ?? 0) + 1;
      if (keepExchanges) sink.exchanges.push(exchange);
    },
    skipped(routeId, service, reason) {
      sink.skipCounts[reason] = (sink.skipCounts[reason] ?? 0) + 1;
      if (keepExchanges) sink.skips.push({ routeId, service, reason });
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
