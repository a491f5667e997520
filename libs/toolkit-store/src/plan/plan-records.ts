import { planAuditEntrySchema, planStateSchema, type PlanAuditEntry, type PlanState } from "@strangler/ops-contract";
import { PLAN_AUDIT_LIMIT } from "../defaults";
import { ToolkitStoreError } from "../errors/toolkit-store-error";
import { rejected, validDocument } from "../records/contract-document";
import type { NextPlanState, PlanAuditRecord, PlanStore } from "./plan-store";

/** An audit() query with its defaults. */
export interface AuditQuery {
  service: string | undefined;
  limit: number;
  before: number | undefined;
}

const nextStateSchema = planStateSchema.omit({ service: true, version: true, updatedAt: true });
const auditRecordSchema = planAuditEntrySchema.pick({ actor: true, action: true, message: true, gates: true });

/** A transition's arguments checked against the operations contract, as fresh storable copies. */
export function validTransition(
  service: string,
  expectedVersion: number,
  next: NextPlanState,
  audit: PlanAuditRecord,
): { next: NextPlanState; audit: PlanAuditRecord } {
  const doing = `moving the plan state of ${service}`;
  if (typeof service !== "string" || service === "") throw rejected(doing, "service must be a non-empty string");
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0)
    throw rejected(doing, "expectedVersion must be a non-negative integer");
  return { next: validDocument(nextStateSchema, next, doing), audit: validDocument(auditRecordSchema, audit, doing) };
}

/** The whole PlanState a transition writes: the store sets service, version and updatedAt. */
export function planState(service: string, next: NextPlanState, version: number, updatedAt: string): PlanState {
  return { service, ...next, version, updatedAt };
}

/** A state read back, checked against the operations contract (a row another version wrote wrong fails here). */
export function storedState(state: unknown): PlanState {
  const service = (state as { service?: unknown } | null)?.service;
  return validDocument(planStateSchema, state, `reading the plan state of ${String(service)}`);
}

/** An audit entry read back, checked against the operations contract. */
export function storedAuditEntry(entry: unknown): PlanAuditEntry {
  const id = (entry as { id?: unknown } | null)?.id;
  return validDocument(planAuditEntrySchema, entry, `reading plan audit entry ${String(id)}`);
}

/** Lost compare-and-set: not retriable as is (the caller reads the state again and decides again). */
export function conflict(service: string, expectedVersion: number, storedVersion: number): ToolkitStoreError {
  return new ToolkitStoreError(
    "TOOLKIT_STORE_CONFLICT",
    `toolkit database: the plan state of ${service} moved: expected version ${expectedVersion}, ` +
      `stored version ${storedVersion}${storedVersion === 0 ? " (none)" : ""}`,
    false,
  );
}

/** The runner lock is held elsewhere; `holder` describes who, when known. */
export function locked(holder: string | undefined): ToolkitStoreError {
  return new ToolkitStoreError(
    "TOOLKIT_STORE_LOCKED",
    `toolkit database: another plan runner holds the plan-runner lock${holder === undefined ? "" : ` (${holder})`}`,
    false,
  );
}

/** An audit() query with its defaults: at most PLAN_AUDIT_LIMIT entries, all services, from the newest. */
export function validAuditQuery(query: Parameters<PlanStore["audit"]>[0] = {}): AuditQuery {
  const doing = "reading the plan audit log";
  const limit = query.limit ?? PLAN_AUDIT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 0) throw rejected(doing, "limit must be a non-negative integer");
  if (query.before !== undefined && (!Number.isSafeInteger(query.before) || query.before < 1))
    throw rejected(doing, "before must be an audit entry id");
  if (query.service !== undefined && typeof query.service !== "string")
    throw rejected(doing, "service must be a string");
  return { service: query.service, limit, before: query.before };
}

/** waitMs checked: how long withRunnerLock may wait for the lock (0: try once). */
export function validWaitMs(options: { waitMs?: number } | undefined): number {
  const waitMs = options?.waitMs ?? 0;
  if (!Number.isFinite(waitMs) || waitMs < 0)
    throw rejected("taking the plan-runner lock", "waitMs must be a non-negative number");
  return waitMs;
}
