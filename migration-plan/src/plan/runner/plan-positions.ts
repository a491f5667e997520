import type { PlanState } from "@strangler/ops-contract";
import type { PlanStep } from "../plan-steps";
import { PlanError } from "../plan-error";

/** One place the plan can stand: a step and, for the canary, one of its shares. */
export interface PlanPosition {
  /** Its place in the plan's order, from 0. */
  index: number;
  step: PlanStep;
  stage: number;
  /** "canary reads at 10 % of reads", "shadow reads". */
  label: string;
}

/** Every position of a plan in order: each step once, the canary once per share. */
export function planPositions(steps: readonly PlanStep[]): PlanPosition[] {
  return steps
    .flatMap((step) =>
      step.stages.map((stageLabel, stage) => ({
        step,
        stage,
        label: step.stages.length > 1 ? `${step.title} at ${stageLabel}` : step.title,
      })),
    )
    .map((position, index) => ({ ...position, index }));
}

/**
 * Where a stored state stands in the plan the config gives today. A state whose step or stage the
 * config no longer has (a step removed, fewer canary shares) is an error naming both, not a guess.
 */
export function positionOf(
  positions: readonly PlanPosition[],
  state: Pick<PlanState, "service" | "step" | "stage">,
): PlanPosition {
  const position = positions.find((p) => p.step.id === state.step && p.stage === state.stage);
  if (position) return position;
  throw new PlanError(
    "PLAN_STATE_NOT_IN_PLAN",
    `the plan state of ${state.service} stands at ${state.step} stage ${state.stage}, which its plan in the ` +
      `migration config no longer has (positions: ${positions.map((p) => `${p.step.id}/${p.stage}`).join(", ")}); ` +
      "restore the config's plan or roll the state back with the config it was made with",
  );
}
