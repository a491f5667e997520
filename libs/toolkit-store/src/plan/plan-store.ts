import type { GateResult, PlanAuditEntry, PlanState } from "@strangler/ops-contract";

/** A state to write: the store sets `service`, `version` and `updatedAt`. */
export type NextPlanState = Omit<PlanState, "service" | "version" | "updatedAt">;

/** What a transition records in the audit log beside the states before and after. */
export interface PlanAuditRecord {
  actor: string;
  action: string;
  message: string;
  gates: GateResult[];
}

/**
 * The migration plans' state and audit log in the toolkit database. A transition is a
 * compare-and-set on the state's version and appends its audit entry in the same transaction, so
 * two runners (or a runner and the dashboard) never both apply a flip, and no flip goes unlogged.
 */
export interface PlanStore {
  state(service: string): Promise<PlanState | undefined>;
  states(): Promise<PlanState[]>;
  /**
   * Writes `next` for `service` if its stored version is `expectedVersion` (0: no state yet), with
   * version + 1, and appends the audit entry. Throws ToolkitStoreError code TOOLKIT_STORE_CONFLICT
   * (not retriable) when the version moved meanwhile.
   */
  transition(service: string, expectedVersion: number, next: NextPlanState, audit: PlanAuditRecord): Promise<PlanState>;
  /** Newest first; `before`: entries with a smaller id (paging). */
  audit(query?: { service?: string; limit?: number; before?: number }): Promise<PlanAuditEntry[]>;
  /**
   * Runs `work` while holding the single plan-runner lock (DESIGN: only one plan runner acts at a
   * time). Waits at most `waitMs` (default 0) for it, then throws TOOLKIT_STORE_LOCKED naming that
   * another runner holds it. The lock is released when `work` settles, or when the process dies.
   */
  withRunnerLock<T>(work: () => Promise<T>, options?: { waitMs?: number }): Promise<T>;
  close(): Promise<void>;
}
