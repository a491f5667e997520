import { isLearntNoise, type FieldDiffStats, type NoiseThresholds } from "@strangler/response-compare";
import { SHADOW_NOISE_MIN_SAMPLE } from "../../defaults";

/**
 * A difference on a field is noise when the field was seen differing between two answers of the same
 * side, over at least SHADOW_NOISE_MIN_SAMPLE noise samples, and is no regression by the comparator's
 * verdict (Diffy's relative and absolute thresholds). The comparator's isLearntNoise, which HTTP parity uses too.
 */
export function isNoiseField(stats: FieldDiffStats | undefined, thresholds: NoiseThresholds): boolean {
  return isLearntNoise(stats, thresholds, SHADOW_NOISE_MIN_SAMPLE);
}
