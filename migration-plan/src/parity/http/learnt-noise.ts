import { type FieldDiffStats, isLearntNoise, type NoiseThresholds } from "@strangler/response-compare";
import type { NoiseDelta } from "@strangler/toolkit-store";

/** What shadow mode learnt about noise, as HTTP parity asks it. */
export interface LearntNoise {
  /** Whether a difference at `generalisedPath` is noise on any of the routes (a write's noise comes from its reads). */
  isNoise(routeIds: readonly string[], generalisedPath: string, thresholds: NoiseThresholds): boolean;
}

/** No learnt noise: every difference counts. */
export const NO_LEARNT_NOISE: LearntNoise = { isNoise: () => false };

/**
 * The learnt noise of the toolkit database's rows (per route and generalised field path, summed over
 * proxy replicas), judged by the comparator's isLearntNoise: the same verdict shadow mode gives.
 */
export function learntNoiseOf(rows: readonly NoiseDelta[]): LearntNoise {
  const byRoute = new Map<string, Map<string, FieldDiffStats>>();
  for (const row of rows) {
    let paths = byRoute.get(row.routeId);
    if (paths === undefined) byRoute.set(row.routeId, (paths = new Map()));
    const { noiseDiffering, noiseCompared, differing, compared } = row;
    paths.set(row.path, { noiseDiffering, noiseCompared, differing, compared });
  }
  return {
    isNoise: (routeIds, path, thresholds) =>
      routeIds.some((routeId) => isLearntNoise(byRoute.get(routeId)?.get(path), thresholds)),
  };
}
