import type { TrafficReport } from "@strangler/ops-contract";
import { TRAFFIC_SLICE_MS, type TrafficStore } from "@strangler/toolkit-store";
import type { SideTraffic, TrafficEvidence } from "../runner/plan-evidence";

/** Both sides' traffic over a set of routes, added up (histograms share the report's buckets). */
export function sumTraffic(report: TrafficReport, routeIds: readonly string[]): TrafficEvidence {
  const empty = (): SideTraffic & { latency: number[] } => ({
    requests: 0,
    errors: 0,
    latency: new Array<number>(report.latencyBucketsMs.length + 1).fill(0),
  });
  const sides = { legacy: empty(), service: empty() };
  for (const route of report.routes) {
    if (!routeIds.includes(route.routeId)) continue;
    for (const side of ["legacy", "service"] as const) {
      const from = route.sides[side];
      const into = sides[side];
      into.requests += from.requests;
      into.errors += from.errors;
      from.histogram.forEach((count, i) => (into.latency[i] = (into.latency[i] ?? 0) + count));
    }
  }
  return { ...sides, bucketBoundsMs: report.latencyBucketsMs };
}

/**
 * What the proxies served on a service's routes since `since` (ms), per side. Traffic is stored per
 * slice: the window starts at the first slice that begins at or after `since`, so a gate never
 * counts what was served before its step began (it loses at most one slice of evidence).
 */
export async function trafficEvidence(
  store: Pick<TrafficStore, "report">,
  service: string,
  routeIds: readonly string[],
  since: number,
): Promise<TrafficEvidence> {
  const from = Math.ceil(since / TRAFFIC_SLICE_MS) * TRAFFIC_SLICE_MS;
  return sumTraffic(await store.report({ service, routeIds, since: new Date(from) }), routeIds);
}
