import { normalUpperTail } from "./normal-tail";

/** The outcome of a one-sided Mann-Whitney U test: is the first sample stochastically greater than the second? */
export interface MannWhitneyResult {
  /** Sizes of the two samples (sums of the histograms). */
  n1: number;
  n2: number;
  /** U of the first sample: pairs (x, y) with x > y, plus half the tied pairs. */
  u: number;
  /** Standardised U, with continuity correction and tie-corrected variance; 0 when the variance is 0. */
  z: number;
  /** One-sided p-value of "the first sample tends to be greater"; 1 without evidence (an empty side, all tied). */
  pValue: number;
}

/**
 * Mann-Whitney U test on two histograms over the same buckets (counts per bucket, ascending; the
 * last bucket may be the overflow): grouped data, so every value of a bucket shares the bucket's
 * mid-rank, and the variance is corrected for those ties. Normal approximation with continuity
 * correction; one-sided: a small p-value says `first` (the service) is slower than `second` (the
 * legacy side). A histogram knows only the bucket, so a shift inside one bucket is invisible: the
 * test is conservative at the bucket's resolution.
 */
export function mannWhitneyHistograms(first: readonly number[], second: readonly number[]): MannWhitneyResult {
  if (first.length !== second.length)
    throw new Error(`histograms of different buckets: ${first.length} counts against ${second.length}`);
  const n1 = sum(first);
  const n2 = sum(second);
  const n = n1 + n2;
  let below = 0;
  let rankSum = 0;
  let ties = 0;
  for (let i = 0; i < first.length; i += 1) {
    const a = first[i] ?? 0;
    const t = a + (second[i] ?? 0);
    // Ranks below + 1 … below + t share their mean.
    rankSum += a * (below + (t + 1) / 2);
    ties += t * t * t - t;
    below += t;
  }
  const u = n1 === 0 ? 0 : rankSum - (n1 * (n1 + 1)) / 2;
  if (n1 === 0 || n2 === 0) return { n1, n2, u, z: 0, pValue: 1 };
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  if (variance <= 0) return { n1, n2, u, z: 0, pValue: 1 };
  // Continuity correction towards the mean: U moves in steps of ½ with ties, of 1 without.
  const z = (u - mean - 0.5) / Math.sqrt(variance);
  return { n1, n2, u, z, pValue: normalUpperTail(z) };
}

function sum(counts: readonly number[]): number {
  return counts.reduce((total, count) => {
    if (!Number.isInteger(count) || count < 0)
      throw new Error(`a histogram count must be a whole number ≥ 0, not ${count}`);
    return total + count;
  }, 0);
}
