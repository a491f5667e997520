import type { PlanState } from "@strangler/ops-contract";
import type { WalkthroughReportInput, WalkthroughStep, WalkthroughTimelinePoint } from "./walkthrough-report-input";

// A neutral walkthrough for the tests: one service over two minutes, a sample every 5 s.

export const SAMPLE_START = Date.parse("2026-12-02T10:00:00.000Z");
export const SAMPLE_SERVICE = "things-service";
const iso = (seconds: number) => new Date(SAMPLE_START + seconds * 1000).toISOString();

// [step, stage, from s, to s, share of reads served by the service]
const STEPS: Array<[string, string, number, number, number]> = [
  ["prepare", "prepare", 0, 5, 0],
  ["sync", "sync", 5, 15, 0],
  ["verify-data", "verify-data", 15, 20, 0],
  ["shadow", "shadow", 20, 40, 0],
  ["canary-reads", "1 %", 40, 50, 0.01],
  ["canary-reads", "10 %", 50, 60, 0.1],
  ["canary-reads", "50 %", 60, 75, 0.5],
  ["canary-reads", "100 %", 75, 90, 1],
  ["switch-writes", "switch-writes", 90, 110, 1],
  ["decommission", "decommission", 110, 120, 1],
];

/** Requests per sample: the traffic chart's highest bar, a round number so it lands on the axis top. */
export const SAMPLE_REQUESTS_PER_POINT = 20;
/** The highest latency in the sample (legacy p95 at t = 60 s), also a round axis top. */
export const SAMPLE_MAX_LATENCY_MS = 40;

function point(seconds: number, service = SAMPLE_SERVICE): WalkthroughTimelinePoint {
  const step = STEPS.find(([, , from, to]) => seconds >= from && seconds < to) ?? STEPS[STEPS.length - 1]!;
  const share = step[4];
  const servedByService = Math.round(SAMPLE_REQUESTS_PER_POINT * share);
  const shadowing = seconds >= 20;
  const writesMoved = seconds >= 90;
  return {
    at: SAMPLE_START + seconds * 1000,
    service,
    servedByLegacy: SAMPLE_REQUESTS_PER_POINT - servedByService,
    servedByService,
    // No compared requests at t = 45 s: a gap in the match rate.
    matchRate: shadowing && seconds !== 45 ? (seconds === 30 ? 0.95 : 1) : null,
    cdcLagSeconds: { forward: seconds >= 5 ? (writesMoved ? null : 0.5) : null, reverse: writesMoved ? 0.25 : null },
    errorRate: {
      legacy: servedByService < SAMPLE_REQUESTS_PER_POINT ? 0 : null,
      service: servedByService > 0 ? 0 : null,
    },
    latencyMs: {
      legacyP50: 12,
      legacyP95: seconds === 60 ? SAMPLE_MAX_LATENCY_MS : 25,
      serviceP50: shadowing ? 8 : null,
      serviceP95: shadowing ? 15 : null,
    },
  };
}

function state(step: string, status: PlanState["status"], version: number): PlanState {
  return {
    service: SAMPLE_SERVICE,
    step,
    stage: 0,
    status,
    owners: { "public.things": step === "decommission" ? "service" : "legacy" },
    enteredAt: null,
    sync: null,
    pending: null,
    version,
    updatedAt: iso(version * 10),
  };
}

/** A complete, successful walkthrough of one service; `overrides` replaces top-level fields. */
export function sampleReportInput(overrides: Partial<WalkthroughReportInput> = {}): WalkthroughReportInput {
  const steps: WalkthroughStep[] = STEPS.map(([step, stage, from, to]) => ({
    service: SAMPLE_SERVICE,
    step,
    stage,
    startedAt: iso(from),
    endedAt: iso(to),
    outcome: "passed",
    proved: [`${step} ${stage} held under load`],
    gates:
      step === "shadow"
        ? [
            {
              gate: "shadow-match-rate",
              verdict: "pass",
              message: "match rate 0.9995 over 2,000 requests",
              figures: { matchRate: 0.9995, minMatchRate: 0.999, sample: 2000, minSample: 100 },
            },
          ]
        : [],
  }));
  const timeline: WalkthroughTimelinePoint[] = [];
  for (let s = 0; s <= 120; s += 5) timeline.push(point(s));
  return {
    title: `Strangler walkthrough: ${SAMPLE_SERVICE}`,
    startedAt: iso(0),
    endedAt: iso(120),
    load: { requests: 12_345, failed: 0, reads: 10_000, writes: 2_345, failures: [] },
    timeline,
    steps,
    parity: [
      {
        service: SAMPLE_SERVICE,
        table: "public.things",
        processed: 1_500,
        matching: 1_500,
        mismatched: 0,
        onlyInLegacy: 0,
        onlyInService: 0,
      },
      {
        service: SAMPLE_SERVICE,
        table: "public.thing_parts",
        processed: 4_200,
        matching: 4_200,
        mismatched: 0,
        onlyInLegacy: 0,
        onlyInService: 0,
      },
    ],
    owners: [
      { service: SAMPLE_SERVICE, table: "public.things", owner: "service" },
      { service: SAMPLE_SERVICE, table: "public.thing_parts", owner: "service" },
    ],
    audit: [
      {
        id: 1,
        at: iso(20),
        actor: "walkthrough",
        service: SAMPLE_SERVICE,
        action: "next",
        message: "shadow reads on",
        before: state("verify-data", "idle", 1),
        after: state("shadow", "in_progress", 2),
        gates: [],
      },
      {
        id: 2,
        at: iso(110),
        actor: "walkthrough",
        service: SAMPLE_SERVICE,
        action: "next",
        message: "writes switched; reverse sync on",
        before: state("switch-writes", "in_progress", 2),
        after: state("decommission", "done", 3),
        gates: [
          { gate: "cdc-lag", verdict: "pass", message: "lag 0.25 s", figures: { lagSeconds: 0.25, maxLagSeconds: 5 } },
        ],
      },
    ],
    links: { dashboard: "http://127.0.0.1:4100/dashboard" },
    ...overrides,
  };
}
