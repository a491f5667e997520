import { isRegression, type FieldDiffStats, type NoiseThresholds } from "@strangler/response-compare";
import { SHADOW_NOISE_MIN_SAMPLE } from "../../defaults";

/**
 * A difference on a field is noise when the field was seen differing between two answers of the same
 * side, over at least SHADOW_NOISE_MIN_SAMPLE noise samples, and is no regression by the comparator's
 * verdict (Diffy's relative and absolute thresholds).
 */
export function isNoiseField(stats: FieldDiffStats | undefined, thresholds: NoiseThresholds): boolean {
  if (stats === undefined || stats.noiseCompared < SHADOW_NOISE_MIN_SAMPLE || stats.noiseDiffering === 0) return false;
  return !isRegression(stats, thresholds);
}
