import type { PlanConfig } from "@strangler/migration-config";
import type { GateResult, RouteDiffReport } from "@strangler/ops-contract";

const percent = (share: number): string => `${(share * 100).toFixed(2)} %`;

/**
 * The shadow gate over a service's routes (their diff reports for the gate's window): too few
 * compared requests hold the step (it never passes or fails on thin evidence); otherwise the match
 * rate must reach the threshold, and a failure names the route, the rate and the most frequent
 * difference signature's field paths.
 */
export function shadowGate(routes: readonly RouteDiffReport[], thresholds: PlanConfig["gates"]["shadow"]): GateResult {
  const compared = routes.reduce((sum, r) => sum + r.compared, 0);
  const agreeing = routes.reduce((sum, r) => sum + r.matches + r.noiseOnly + r.cdcFirst, 0);
  const figures = { compared, agreeing, minSample: thresholds.minSample, minMatchRate: thresholds.minMatchRate };
  if (compared < thresholds.minSample)
    return {
      gate: "shadow",
      verdict: "hold",
      message: `${compared} of the ${thresholds.minSample} compared requests the shadow gate needs: too little traffic to judge, holding`,
      figures: { ...figures, matchRate: compared === 0 ? null : agreeing / compared },
    };
  const matchRate = agreeing / compared;
  if (matchRate >= thresholds.minMatchRate)
    return {
      gate: "shadow",
      verdict: "pass",
      message: `match rate ${percent(matchRate)} over ${compared} compared requests (≥ ${percent(thresholds.minMatchRate)})`,
      figures: { ...figures, matchRate },
    };
  // The route that misses most, and its most frequent difference.
  const worst = [...routes]
    .filter((r) => r.compared > 0)
    .sort((a, b) => (a.matchRate ?? 1) - (b.matchRate ?? 1))[0] as RouteDiffReport;
  const signature = [...worst.signatures].sort((a, b) => b.count - a.count)[0];
  const fields = signature ? signature.fields.map((f) => `${f.path} (${f.kind})`).join(", ") : "no signature kept";
  return {
    gate: "shadow",
    verdict: "fail",
    message: `match rate ${percent(matchRate)} over ${compared} compared requests, ${percent(thresholds.minMatchRate - matchRate)} below ${percent(thresholds.minMatchRate)}; worst route ${worst.routeId} at ${percent(worst.matchRate ?? 0)}, most frequent difference: ${fields}`,
    figures: { ...figures, matchRate, worstRoute: worst.routeId, worstFields: fields },
  };
}
