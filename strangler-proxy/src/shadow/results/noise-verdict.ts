import {
  SHADOW_NOISE_ABSOLUTE_THRESHOLD,
  SHADOW_NOISE_MIN_SAMPLE,
  SHADOW_NOISE_RELATIVE_THRESHOLD,
} from "../../defaults";

/** A field's counts: how often it differed between two answers of the same side, and between old and new. */
export interface FieldNoiseStats {
  noiseDiffering: number;
  noiseCompared: number;
  differing: number;
  compared: number;
}

/** Diffy's thresholds (compare rules `noise`): relative in % of the old-vs-old rate, absolute in percentage points. */
export interface NoiseThresholds {
  relative: number;
  absolute: number;
}

export const DEFAULT_NOISE_THRESHOLDS: NoiseThresholds = {
  relative: SHADOW_NOISE_RELATIVE_THRESHOLD,
  absolute: SHADOW_NOISE_ABSOLUTE_THRESHOLD,
};

// The same meaning as the comparator package's noise verdict (isRegression / classifyDifferences in
// @strangler/response-compare); kept here until the proxy calls that one.

/** A field is a regression when its old-vs-new rate exceeds its old-vs-old rate by more than both thresholds. */
export function isRegression(stats: FieldNoiseStats, thresholds: NoiseThresholds): boolean {
  const raw = stats.compared === 0 ? 0 : stats.differing / stats.compared;
  const noise = stats.noiseCompared === 0 ? 0 : stats.noiseDiffering / stats.noiseCompared;
  if (raw <= noise) return false;
  const absolute = (raw - noise) * 100;
  const relative = noise === 0 ? Number.POSITIVE_INFINITY : ((raw - noise) / noise) * 100;
  return absolute > thresholds.absolute && relative > thresholds.relative;
}

/**
 * A difference on a field is noise when the field was seen differing between two answers of the same
 * side, over at least SHADOW_NOISE_MIN_SAMPLE noise samples, and is no regression.
 */
export function isNoiseField(stats: FieldNoiseStats | undefined, thresholds: NoiseThresholds): boolean {
  if (stats === undefined || stats.noiseCompared < SHADOW_NOISE_MIN_SAMPLE || stats.noiseDiffering === 0) return false;
  return !isRegression(stats, thresholds);
}
