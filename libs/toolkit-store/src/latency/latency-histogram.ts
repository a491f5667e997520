import type { LatencySummary } from "@strangler/ops-contract";
import { SHADOW_LATENCY_BUCKETS_MS } from "../defaults";

/**
 * Histograms are counts per bucket: one per upper bound (ms) of `bounds`, plus an overflow bucket.
 * Every helper takes the bounds (default SHADOW_LATENCY_BUCKETS_MS): shadow results and served traffic
 * use different ones, and whoever counts and whoever reads must use the same.
 */

/** An empty histogram: one count per bucket of `bounds` plus the overflow bucket. */
export function emptyHistogram(bounds: readonly number[] = SHADOW_LATENCY_BUCKETS_MS): number[] {
  return new Array<number>(bounds.length + 1).fill(0);
}

/** The bucket a latency falls in: the first whose upper bound is ≥ it, else the overflow bucket. */
export function latencyBucket(ms: number, bounds: readonly number[] = SHADOW_LATENCY_BUCKETS_MS): number {
  // A binary search without a callback: the proxy calls this once per request it serves.
  let low = 0;
  let high = bounds.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (ms <= (bounds[mid] as number)) high = mid;
    else low = mid + 1;
  }
  return low;
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

/** p50/p95/p99 read from bucket counts (interpolated within a bucket); null without samples. */
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
