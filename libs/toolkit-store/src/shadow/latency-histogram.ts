import type { LatencySummary } from "@strangler/ops-contract";
import { SHADOW_LATENCY_BUCKETS_MS } from "../defaults";

/** An empty histogram: one count per bucket of SHADOW_LATENCY_BUCKETS_MS plus the overflow bucket. */
export function emptyHistogram(): number[] {
  return new Array<number>(SHADOW_LATENCY_BUCKETS_MS.length + 1).fill(0);
}

/** The bucket a latency falls in: the first whose upper bound is ≥ it, else the overflow bucket. */
export function latencyBucket(ms: number): number {
  const index = SHADOW_LATENCY_BUCKETS_MS.findIndex((bound) => ms <= bound);
  return index === -1 ? SHADOW_LATENCY_BUCKETS_MS.length : index;
}

/** Adds `delta` into `into` element-wise (histograms of several replicas or minutes merge by addition). */
export function addHistogram(into: number[], delta: readonly number[]): number[] {
  for (let i = 0; i < delta.length; i += 1) into[i] = (into[i] ?? 0) + (delta[i] ?? 0);
  return into;
}

function percentile(counts: readonly number[], total: number, q: number, bounds: readonly number[]): number {
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i += 1) {
    const inBucket = counts[i] ?? 0;
    if (inBucket > 0 && below + inBucket >= rank) {
      const upper = bounds[i];
      // Above the last bound nothing is known but that bound.
      if (upper === undefined) return bounds[bounds.length - 1] ?? 0;
      const lower = i === 0 ? 0 : (bounds[i - 1] ?? 0);
      // Linear within the bucket, as Prometheus' histogram_quantile does.
      return lower + ((upper - lower) * (rank - below)) / inBucket;
    }
    below += inBucket;
  }
  return 0;
}

/**
 * p50/p95/p99 read from bucket counts (interpolated within a bucket); null without samples. `bounds`:
 * the buckets' upper bounds (ms) when they are not SHADOW_LATENCY_BUCKETS_MS.
 */
export function summariseHistogram(
  counts: readonly number[],
  bounds: readonly number[] = SHADOW_LATENCY_BUCKETS_MS,
): LatencySummary {
  const count = counts.reduce((sum, n) => sum + n, 0);
  if (count === 0) return { count: 0, p50: null, p95: null, p99: null };
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    count,
    p50: round(percentile(counts, count, 0.5, bounds)),
    p95: round(percentile(counts, count, 0.95, bounds)),
    p99: round(percentile(counts, count, 0.99, bounds)),
  };
}
