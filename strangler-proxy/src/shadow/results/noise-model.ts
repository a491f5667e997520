import { generalisePath, type FieldDiffStats, type NoiseThresholds } from "@strangler/response-compare";
import type { NoiseDelta } from "@strangler/toolkit-store";
import { SHADOW_NOISE_MAX_PATHS_PER_ROUTE } from "../../defaults";
import { isNoiseField } from "./noise-verdict";

const zero = (): FieldDiffStats => ({ noiseDiffering: 0, noiseCompared: 0, differing: 0, compared: 0 });

/**
 * What one process knows of the noise per route and field path: the store's sums (every replica's)
 * plus what it learnt since, and the deltas it has not written yet. A sample counts for every field
 * path known on its route (a field that did not differ was compared too); a path first seen differing
 * joins the known ones.
 */
export interface NoiseModel {
  /** Two answers of the primary's side compared: `differing` are the paths that differed. */
  observeNoiseSample(routeId: string, differing: readonly string[]): void;
  /** An old-vs-new comparison compared: `differing` are the paths that differed. */
  observeComparison(routeId: string, differing: readonly string[]): void;
  /** Whether a difference at `path` is noise on any of the routes (a write's noise comes from its reads). */
  isNoise(routeIds: readonly string[], path: string, thresholds: NoiseThresholds): boolean;
  /** Replaces the learnt sums with the store's (deltas not yet taken are added back on top). */
  reseed(rows: readonly NoiseDelta[]): void;
  /** The deltas since the last take, for the next batch. */
  takeDeltas(): NoiseDelta[];
}

export function createNoiseModel(): NoiseModel {
  const learnt = new Map<string, Map<string, FieldDiffStats>>();
  const pending = new Map<string, Map<string, FieldDiffStats>>();

  const pathsOf = (table: Map<string, Map<string, FieldDiffStats>>, routeId: string) => {
    let paths = table.get(routeId);
    if (paths === undefined) table.set(routeId, (paths = new Map()));
    return paths;
  };
  const add = (routeId: string, path: string, delta: FieldDiffStats) => {
    for (const table of [learnt, pending]) {
      const paths = pathsOf(table, routeId);
      const stats = paths.get(path) ?? zero();
      stats.noiseDiffering += delta.noiseDiffering;
      stats.noiseCompared += delta.noiseCompared;
      stats.differing += delta.differing;
      stats.compared += delta.compared;
      paths.set(path, stats);
    }
  };
  const observe = (routeId: string, differing: readonly string[], side: "noise" | "raw") => {
    const differs = new Set(differing.map(generalisePath));
    const known = pathsOf(learnt, routeId);
    for (const path of differs)
      if (!known.has(path) && known.size < SHADOW_NOISE_MAX_PATHS_PER_ROUTE) known.set(path, zero());
    for (const path of [...known.keys()]) {
      const hit = differs.has(path) ? 1 : 0;
      add(
        routeId,
        path,
        side === "noise"
          ? { noiseDiffering: hit, noiseCompared: 1, differing: 0, compared: 0 }
          : { noiseDiffering: 0, noiseCompared: 0, differing: hit, compared: 1 },
      );
    }
  };

  return {
    observeNoiseSample: (routeId, differing) => observe(routeId, differing, "noise"),
    observeComparison: (routeId, differing) => observe(routeId, differing, "raw"),
    isNoise(routeIds, path, thresholds) {
      const field = generalisePath(path);
      return routeIds.some((routeId) => isNoiseField(learnt.get(routeId)?.get(field), thresholds));
    },
    reseed(rows) {
      learnt.clear();
      for (const row of rows) {
        const paths = pathsOf(learnt, row.routeId);
        if (paths.size < SHADOW_NOISE_MAX_PATHS_PER_ROUTE) {
          const { noiseDiffering, noiseCompared, differing, compared } = row;
          paths.set(row.path, { noiseDiffering, noiseCompared, differing, compared });
        }
      }
      for (const [routeId, paths] of pending)
        for (const [path, delta] of paths) {
          const stats = pathsOf(learnt, routeId).get(path) ?? zero();
          stats.noiseDiffering += delta.noiseDiffering;
          stats.noiseCompared += delta.noiseCompared;
          stats.differing += delta.differing;
          stats.compared += delta.compared;
          pathsOf(learnt, routeId).set(path, stats);
        }
    },
    takeDeltas() {
      const deltas: NoiseDelta[] = [];
      for (const [routeId, paths] of pending)
        for (const [path, stats] of paths) deltas.push({ routeId, path, ...stats });
      pending.clear();
      return deltas;
    },
  };
}
