import type { GateResult } from "@strangler/ops-contract";

/** The evidence the decommission gate weighs, over the window since the write switch (or the last legacy event). */
export interface DecommissionGateInput {
  /** How long the evidence must cover (plan.gates.decommission.evidenceSeconds). */
  windowSeconds: number;
  /** How long evidence has been collected: since the write switch, or since the last legacy request or write. */
  observedSeconds: number;
  /** Requests the monolith answered on the service's routes in the window; null when nothing counted them. */
  legacyRequests: number | null;
  /** Writes to the service's tables seen in the legacy database in the window, besides the reverse stream's own; null when unknown. */
  legacyWrites: number | null;
}

/**
 * The decommission gate: any legacy request on the service's routes or legacy write to its tables
 * fails it at once (a monolith feature still depends on them), naming the counts; without such
 * traffic it holds until the evidence covers the whole window, and holds while a count is unknown
 * (no evidence is not evidence of absence); then it passes.
 */
export function decommissionGate(input: DecommissionGateInput): GateResult {
  const { windowSeconds, observedSeconds, legacyRequests, legacyWrites } = input;
  const figures = { windowSeconds, observedSeconds, legacyRequests, legacyWrites };
  const seen = [
    legacyRequests ? `${legacyRequests} legacy request(s) on the service's routes` : null,
    legacyWrites ? `${legacyWrites} legacy write(s) to its tables` : null,
  ].filter((text): text is string => text !== null);
  if (seen.length > 0)
    return {
      gate: "decommission",
      verdict: "fail",
      message: `${seen.join(" and ")} in the last ${Math.round(observedSeconds)} s: the monolith still uses them, not decommissioning`,
      figures,
    };
  const unknown = [
    legacyRequests === null ? "legacy requests on the service's routes" : null,
    legacyWrites === null ? "legacy writes to its tables" : null,
  ].filter((text): text is string => text !== null);
  if (unknown.length > 0)
    return {
      gate: "decommission",
      verdict: "hold",
      message: `nothing counts the ${unknown.join(" or the ")} yet: no evidence, holding`,
      figures,
    };
  if (observedSeconds < windowSeconds)
    return {
      gate: "decommission",
      verdict: "hold",
      message: `no legacy traffic or writes for ${Math.round(observedSeconds)} of the ${windowSeconds} s of evidence needed (${Math.round(windowSeconds - observedSeconds)} s to go): holding`,
      figures,
    };
  return {
    gate: "decommission",
    verdict: "pass",
    message: `no legacy request on the service's routes and no legacy write to its tables for ${Math.round(observedSeconds)} s (≥ ${windowSeconds} s)`,
    figures,
  };
}
