import type { PlanState } from "@strangler/ops-contract";
import type {
  WalkthroughParity,
  WalkthroughReportInput,
  WalkthroughStep,
  WalkthroughTimelinePoint,
} from "./walkthrough-report-input";

/** Parity summed over tables; `ratio` is matching / processed (null when nothing was processed). */
export interface ParityTotals {
  tables: number;
  processed: number;
  matching: number;
  mismatched: number;
  onlyInLegacy: number;
  onlyInService: number;
  ratio: number | null;
  /** Every processed row matched and no row is on one side only. */
  equal: boolean;
}

/** Sums the parity rows of all tables. */
export function parityTotals(parity: WalkthroughParity[]): ParityTotals {
  const sum = (pick: (p: WalkthroughParity) => number) => parity.reduce((total, p) => total + pick(p), 0);
  const processed = sum((p) => p.processed);
  const matching = sum((p) => p.matching);
  const mismatched = sum((p) => p.mismatched);
  const onlyInLegacy = sum((p) => p.onlyInLegacy);
  const onlyInService = sum((p) => p.onlyInService);
  return {
    tables: parity.length,
    processed,
    matching,
    mismatched,
    onlyInLegacy,
    onlyInService,
    ratio: processed > 0 ? matching / processed : null,
    equal: parity.length > 0 && mismatched + onlyInLegacy + onlyInService === 0 && matching === processed,
  };
}

/** The services of the timeline and the steps, in order of first appearance. */
export function reportServices(input: WalkthroughReportInput): string[] {
  return [...new Set([...input.timeline.map((p) => p.service), ...input.steps.map((s) => s.service)])];
}

/** One service's timeline points in time order. */
export function serviceTimeline(input: WalkthroughReportInput, service: string): WalkthroughTimelinePoint[] {
  return input.timeline.filter((p) => p.service === service).sort((a, b) => a.at - b.at);
}

/** A step with its number in the report (1-based, input order): charts mark steps by this number. */
export interface NumberedStep extends WalkthroughStep {
  number: number;
}

/** The report's steps, numbered in input order. */
export function numberedSteps(input: WalkthroughReportInput): NumberedStep[] {
  return input.steps.map((step, i) => ({ ...step, number: i + 1 }));
}

/** "shadow" or "canary-reads · 10 %": the step and, when it says more, its stage. */
export function stepName(step: Pick<WalkthroughStep, "step" | "stage">): string {
  return step.stage && step.stage !== step.step ? `${step.step} · ${step.stage}` : step.step;
}

/**
 * The time range the charts span: the walkthrough's start and end, widened to every timeline point
 * (clocks of different processes disagree a little); null when nothing parses.
 */
export function reportTimeRange(input: WalkthroughReportInput): { start: number; end: number } | null {
  const times = [Date.parse(input.startedAt), Date.parse(input.endedAt), ...input.timeline.map((p) => p.at)].filter(
    (t) => Number.isFinite(t),
  );
  if (times.length === 0) return null;
  // reduce, not Math.min(...times): a long walkthrough has more points than a call takes arguments.
  return { start: times.reduce((a, b) => Math.min(a, b)), end: times.reduce((a, b) => Math.max(a, b)) };
}

/** A plan state in a few words: "shadow 0 (in_progress)". */
export function planStateText(state: PlanState | null): string {
  return state === null ? "(none)" : `${state.step} ${state.stage} (${state.status})`;
}
