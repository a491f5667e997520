/** Stable codes of the plan runner's errors. */
export type PlanErrorCode =
  | "PLAN_STATE_NOT_IN_PLAN"
  | "PLAN_NOTHING_TO_ROLL_BACK"
  | "PLAN_DONE"
  | "PLAN_UNCONFIRMED"
  | "PLAN_WRITES_NOT_QUIET"
  | "PLAN_INTERRUPTED";

/** An error of the plan runner; `retriable`: running the same command again may succeed. */
export class PlanError extends Error {
  readonly code: PlanErrorCode;
  readonly retriable: boolean;

  constructor(code: PlanErrorCode, message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = "PlanError";
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}
