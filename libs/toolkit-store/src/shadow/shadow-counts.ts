import { emptyHistogram } from "../latency/latency-histogram";
import type { ShadowMinuteDelta } from "./shadow-result-store";

/** The counters of a route's shadow results, all at zero. */
export type ShadowCounts = Omit<ShadowMinuteDelta, "minute" | "routeId" | "service">;

/** Fresh zero counters (new objects each call: callers add to them). */
export function emptyShadowCounts(): ShadowCounts {
  return {
    compared: 0,
    matches: 0,
    mismatches: 0,
    noiseOnly: 0,
    cdcFirst: 0,
    candidateErrors: 0,
    candidateTimeouts: 0,
    skipped: {},
    signatures: [],
    latency: { legacy: emptyHistogram(), service: emptyHistogram() },
  };
}
