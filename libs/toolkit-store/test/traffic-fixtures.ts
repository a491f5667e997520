import { emptyHistogram, latencyBucket, TRAFFIC_LATENCY_BUCKETS_MS, type TrafficMinuteDelta } from "../src";

/** A delta of route `routeId` on the legacy side with no requests unless given. */
export function trafficDelta(
  fields: Partial<TrafficMinuteDelta> & Pick<TrafficMinuteDelta, "minute" | "routeId">,
): TrafficMinuteDelta {
  return {
    service: "svc",
    side: "legacy",
    requests: 0,
    errors: 0,
    latency: emptyHistogram(TRAFFIC_LATENCY_BUCKETS_MS),
    ...fields,
  };
}

/** A traffic histogram with `count` requests of `ms` milliseconds per entry. */
export function latencies(...entries: Array<[ms: number, count: number]>): number[] {
  const counts = emptyHistogram(TRAFFIC_LATENCY_BUCKETS_MS);
  for (const [ms, count] of entries) {
    const bucket = latencyBucket(ms, TRAFFIC_LATENCY_BUCKETS_MS);
    counts[bucket] = (counts[bucket] ?? 0) + count;
  }
  return counts;
}
