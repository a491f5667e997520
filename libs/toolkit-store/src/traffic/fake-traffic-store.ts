import type { TrafficReport } from "@strangler/ops-contract";
import { ToolkitStoreError } from "../errors/toolkit-store-error";
import { addHistogram } from "../latency/latency-histogram";
import { buildTrafficReport, storableTrafficDeltas, trafficKey, trafficMinuteOf } from "./traffic-report-builder";
import type { TrafficMinuteDelta, TrafficStore } from "./traffic-store";

/** The in-memory store for unit tests, with the PostgreSQL store's semantics, and a switch to make it fail. */
export interface FakeTrafficStore extends TrafficStore {
  /** While set, every call rejects with a retriable ToolkitStoreError (the database is down). */
  failing: boolean;
  /** Batches accepted so far (as written). */
  readonly writes: ReadonlyArray<readonly TrafficMinuteDelta[]>;
}

/** An in-memory TrafficStore (same sums, checks and report as the PostgreSQL one). */
export function createFakeTrafficStore(options: { now?: () => number } = {}): FakeTrafficStore {
  const now = options.now ?? Date.now;
  const rows = new Map<string, TrafficMinuteDelta>();
  const writes: Array<readonly TrafficMinuteDelta[]> = [];
  let closed = false;

  const store: FakeTrafficStore = {
    failing: false,
    writes,
    async write(deltas) {
      const checked = storableTrafficDeltas(deltas);
      if (checked.length === 0) return;
      check("writing served traffic");
      writes.push(structuredClone(deltas));
      for (const delta of checked) {
        const key = trafficKey(delta);
        const row = rows.get(key);
        if (row === undefined) rows.set(key, delta);
        else {
          row.requests += delta.requests;
          row.errors += delta.errors;
          row.service = delta.service;
          addHistogram(row.latency, delta.latency);
        }
      }
    },
    async report(query): Promise<TrafficReport> {
      check("reading the served traffic");
      const since = trafficMinuteOf(query.since.getTime());
      const until = query.until?.getTime() ?? now();
      const inWindow = [...rows.values()].filter(
        (row) =>
          row.minute >= since &&
          row.minute <= until &&
          (query.service === undefined || row.service === query.service) &&
          (query.routeIds === undefined || query.routeIds.includes(row.routeId)),
      );
      return buildTrafficReport(structuredClone(inWindow), since, until);
    },
    async prune(olderThan) {
      check("pruning served traffic");
      for (const [key, row] of rows) if (row.minute < olderThan.getTime()) rows.delete(key);
    },
    async close() {
      closed = true;
    },
  };
  function check(doing: string): void {
    if (closed) throw new ToolkitStoreError("TOOLKIT_STORE_CLOSED", `toolkit database: ${doing} after close()`, false);
    if (store.failing)
      throw new ToolkitStoreError(
        "TOOLKIT_STORE_UNAVAILABLE",
        `toolkit database: ${doing} failed: fake store is down`,
        true,
      );
  }
  return store;
}
