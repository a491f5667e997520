import type { GateResult, PlanAuditEntry } from "@strangler/ops-contract";

/** What the load generator saw over the whole walkthrough. */
export interface WalkthroughLoad {
  requests: number;
  failed: number;
  reads: number;
  writes: number;
  /** Each failed request (or a sample of them): when, and what failed. */
  failures: Array<{ at: string; what: string }>;
}

/** One sample of a service's traffic and health, taken every few seconds by the walkthrough. */
export interface WalkthroughTimelinePoint {
  /** Milliseconds since the epoch, at the end of the interval the figures cover. */
  at: number;
  service: string;
  /** Requests answered by each side in this interval. */
  servedByLegacy: number;
  servedByService: number;
  /** Shadow match rate over the interval (0..1); null without compared requests. */
  matchRate: number | null;
  cdcLagSeconds: { forward: number | null; reverse: number | null };
  /** Share of failed requests (0..1) per side over the interval; null when a side served none. */
  errorRate: { legacy: number | null; service: number | null };
  latencyMs: {
    legacyP50: number | null;
    legacyP95: number | null;
    serviceP50: number | null;
    serviceP95: number | null;
  };
}

/** How a step (or one stage of it, like a canary share) ended. */
export type WalkthroughStepOutcome = "passed" | "held" | "rolled back" | "failed" | "skipped";

/** One step (or stage) the walkthrough went through, with what it proved and the gate figures. */
export interface WalkthroughStep {
  service: string;
  step: string;
  stage: string;
  /** ISO timestamps. */
  startedAt: string;
  endedAt: string;
  outcome: WalkthroughStepOutcome;
  proved: string[];
  gates: GateResult[];
}

/** The last data parity figures of one table. */
export interface WalkthroughParity {
  service: string;
  table: string;
  processed: number;
  matching: number;
  mismatched: number;
  onlyInLegacy: number;
  onlyInService: number;
}

/** Everything the walkthrough report shows; the walkthrough fills it, the renderers do no I/O. */
export interface WalkthroughReportInput {
  /** E.g. "Strangler walkthrough: users-service". */
  title: string;
  /** ISO timestamps. */
  startedAt: string;
  endedAt: string;
  load: WalkthroughLoad;
  timeline: WalkthroughTimelinePoint[];
  steps: WalkthroughStep[];
  parity: WalkthroughParity[];
  /** Who accepts each table's writes at the end. */
  owners: Array<{ service: string; table: string; owner: "legacy" | "service" }>;
  audit: PlanAuditEntry[];
  /** Only http(s) URLs become links; anything else is shown as text. */
  links?: { dashboard?: string };
}
