import type { NoiseThresholds } from "./compare-rules";
import type { Difference } from "./compare-types";
import { NOISE_ABSOLUTE_POINTS, NOISE_MIN_SAMPLE, NOISE_RELATIVE_PERCENT } from "./defaults";
import { generalisePath } from "./json-pointer";

/** One field path's counts: old-vs-new, and old-vs-old from the noise sample. */
export interface FieldDiffStats {
  /** Old-vs-new comparisons in which the field differed. */
  differing: number;
  /** Old-vs-new comparisons. */
  compared: number;
  /** Old-vs-old (noise sample) comparisons in which the field differed. */
  noiseDiffering: number;
  /** Old-vs-old comparisons. */
  noiseCompared: number;
}

/** Diffy's default thresholds (20 % relative, 0.03 percentage points absolute). */
export const DEFAULT_NOISE_THRESHOLDS: NoiseThresholds = {
  relative: NOISE_RELATIVE_PERCENT,
  absolute: NOISE_ABSOLUTE_POINTS,
};

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

/**
 * Whether a field's differences are a regression rather than noise (Diffy): its old-vs-new difference
 * rate exceeds its old-vs-old rate by more than `relative` % of that rate AND by more than `absolute`
 * percentage points. Rates, not counts, since the noise sample is a share of the traffic. Without a
 * noise sample the noise rate is 0; without comparisons nothing is a regression.
 */
export function isRegression(stats: FieldDiffStats, thresholds: NoiseThresholds = DEFAULT_NOISE_THRESHOLDS): boolean {
  const newRate = rate(stats.differing, stats.compared);
  const noiseRate = rate(stats.noiseDiffering, stats.noiseCompared);
  const excess = newRate - noiseRate;
  // Over a noise rate of 0 any excess is infinitely many percent (and 0 / 0 is NaN, which passes nothing).
  return (excess / noiseRate) * 100 > thresholds.relative && excess * 100 > thresholds.absolute;
}

/**
 * Whether learnt counts make a field noise: it was seen differing between two answers of the same
 * side, over at least `minSample` noise samples, and is no regression by isRegression.
 */
export function isLearntNoise(
  stats: FieldDiffStats | undefined,
  thresholds: NoiseThresholds = DEFAULT_NOISE_THRESHOLDS,
  minSample: number = NOISE_MIN_SAMPLE,
): boolean {
  if (stats === undefined || stats.noiseCompared < minSample || stats.noiseDiffering === 0) return false;
  return !isRegression(stats, thresholds);
}

/** The verdict on one comparison once learnt noise is taken into account. */
export interface ClassifiedDifferences {
  /** match: no differences; noise-only: every difference is on a noise path; mismatch: at least one is not. */
  verdict: "match" | "mismatch" | "noise-only";
  regressions: Difference[];
  noise: Difference[];
}

/**
 * Splits a comparison's differences into regressions and noise; `isNoise` is asked with the path's
 * array positions generalised to `*` (as kept in the learnt noise), so one question covers every element.
 */
export function classifyDifferences(
  differences: readonly Difference[],
  isNoise: (generalisedPath: string) => boolean,
): ClassifiedDifferences {
  const regressions: Difference[] = [];
  const noise: Difference[] = [];
  for (const difference of differences)
    (isNoise(generalisePath(difference.path)) ? noise : regressions).push(difference);
  const verdict = differences.length === 0 ? "match" : regressions.length === 0 ? "noise-only" : "mismatch";
  return { verdict, regressions, noise };
}
