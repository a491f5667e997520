/** The migration-plan package's public entry point: what other packages (the demo) may use. */
export { renderDiffReport, collectDiffReport, type DiffReportRequest } from "./cli/diff/diff-report";
export { formatDiffReport, type DiffReportTextOptions } from "./cli/diff/diff-report-text";
export { runDataParity, type DataParityOptions, type DataParityDeps } from "./parity/data/data-parity-run";
export { compareByChecksum } from "./parity/data/checksum/checksum-compare";
export { formatParityRun } from "./cli/parity/parity-data-text";
export { collectCdcStatus } from "./cli/cdc/cdc-status";
export { listenUrl } from "./cli/listen-url";
export { writeWalkthroughReport } from "./walkthrough/report/write-walkthrough-report";
export { renderWalkthroughMarkdown } from "./walkthrough/report/report-markdown";
export { renderWalkthroughHtml } from "./walkthrough/report/report-html";
export type {
  WalkthroughReportInput,
  WalkthroughLoad,
  WalkthroughTimelinePoint,
  WalkthroughStep,
  WalkthroughStepOutcome,
  WalkthroughParity,
} from "./walkthrough/report/walkthrough-report-input";
export { openLivePlan, planActor } from "./cli/plan/live-plan";
export { formatPlanEvent, formatPlanOutcome } from "./cli/plan/plan-outcome-text";
export { createPlanRunner, type AutoOutcome, type PlanRunner } from "./plan/runner/plan-runner";
export type { PlanEffects, PlanEvent, PlanOutcome, PlanRunnerDeps } from "./plan/runner/plan-runner-types";
export type { PlanEvidence, TrafficEvidence } from "./plan/runner/plan-evidence";
export { servicePlan, initialPlanState } from "./plan/plan-steps";
