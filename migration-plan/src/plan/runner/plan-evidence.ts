import type { CdcStatusDocument, GateResult, ParityRunReport, RouteDiffReport } from "@strangler/ops-contract";

/** Requests one side served on a set of routes over a window. */
export interface SideTraffic {
  requests: number;
  errors: number;
  /** Latency counts per bucket of `bucketBoundsMs`, the last one the overflow. */
  latency: readonly number[];
}

/** What the proxies served on a service's routes since a moment, per side (every replica added up). */
export interface TrafficEvidence {
  legacy: SideTraffic;
  service: SideTraffic;
  bucketBoundsMs: readonly number[];
}

/**
 * Where the gates read their figures: every source is live (the toolkit database the proxies and
 * parity runs write, the CDC process's status), none is a number the runner keeps itself.
 */
export interface PlanEvidence {
  /** The service's data section checked against both catalogs, as a stream would (prepare's gate). */
  mappings(service: string): Promise<GateResult>;
  /** Shadow results of these routes since `since` (ms), per route. */
  shadow(service: string, routeIds: readonly string[], since: number): Promise<RouteDiffReport[]>;
  /** The newest data parity run (finished or not) that covered the service. */
  lastParityRun(service: string): Promise<ParityRunReport | undefined>;
  /** The CDC process's status; null when it does not answer. */
  cdcStatus(): Promise<CdcStatusDocument | null>;
  /** What the proxies served on these routes since `since` (ms), per side. */
  traffic(service: string, routeIds: readonly string[], since: number): Promise<TrafficEvidence>;
}
