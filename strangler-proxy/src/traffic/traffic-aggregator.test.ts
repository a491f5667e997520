import { latencyBucket, TRAFFIC_LATENCY_BUCKETS_MS, TRAFFIC_SLICE_MS } from "@strangler/toolkit-store";
import { createTrafficAggregator } from "./traffic-aggregator";

const MINUTE = Date.UTC(2026, 11, 2, 10, 0, 0);
const get = { id: "things-get", service: "things-service" };
const list = { id: "things-list", service: "things-service" };
const bucket = (ms: number) => latencyBucket(ms, TRAFFIC_LATENCY_BUCKETS_MS);

describe("the served-traffic aggregator", () => {
  it("counts requests, errors and latency per route and side within a slice", () => {
    const aggregator = createTrafficAggregator();
    aggregator.add(MINUTE + 1_000, get, "legacy", false, 3);
    aggregator.add(MINUTE + 2_000, get, "legacy", true, 3);
    aggregator.add(MINUTE + 3_000, get, "service", false, 250);
    aggregator.add(MINUTE + TRAFFIC_SLICE_MS - 1, list, "legacy", false, 0.1);

    const taken = aggregator.take();
    expect(taken.map((d) => ({ ...d, latency: undefined }))).toEqual([
      { minute: MINUTE, routeId: "things-get", service: "things-service", side: "legacy", requests: 2, errors: 1 },
      { minute: MINUTE, routeId: "things-get", service: "things-service", side: "service", requests: 1, errors: 0 },
      { minute: MINUTE, routeId: "things-list", service: "things-service", side: "legacy", requests: 1, errors: 0 },
    ]);
    const legacy = taken[0]?.latency ?? [];
    expect(legacy).toHaveLength(TRAFFIC_LATENCY_BUCKETS_MS.length + 1);
    expect(legacy[bucket(3)]).toBe(2);
    expect(legacy.reduce((a, b) => a + b, 0)).toBe(2);
    expect(taken[1]?.latency[bucket(250)]).toBe(1);
    expect(taken[2]?.latency[0]).toBe(1);
  });

  it("keeps each slice apart, and counts latency past the last bound in the overflow bucket", () => {
    const aggregator = createTrafficAggregator();
    aggregator.add(MINUTE + TRAFFIC_SLICE_MS - 1_000, get, "service", false, 5);
    aggregator.add(MINUTE + TRAFFIC_SLICE_MS, get, "service", true, 60_000);
    aggregator.add(MINUTE + TRAFFIC_SLICE_MS + 1_000, get, "service", false, 5);

    const taken = aggregator.take();
    expect(taken.map((d) => [d.minute, d.requests, d.errors])).toEqual([
      [MINUTE, 1, 0],
      [MINUTE + TRAFFIC_SLICE_MS, 2, 1],
    ]);
    expect(taken[1]?.latency[TRAFFIC_LATENCY_BUCKETS_MS.length]).toBe(1);
  });

  it("hands over what was counted once and starts afresh, in the same slice too", () => {
    const aggregator = createTrafficAggregator();
    expect(aggregator.take()).toEqual([]);
    aggregator.add(MINUTE, get, "legacy", false, 1);
    const first = aggregator.take();
    aggregator.add(MINUTE + 1, get, "legacy", false, 1);
    const second = aggregator.take();
    expect(first.map((d) => d.requests)).toEqual([1]);
    expect(second.map((d) => [d.minute, d.requests])).toEqual([[MINUTE, 1]]);
    // What was handed over is not touched by later counting.
    expect(first[0]?.requests).toBe(1);
    expect(aggregator.take()).toEqual([]);
  });
});
