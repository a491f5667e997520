import { randomUUID } from "node:crypto";
import type { GateResult } from "@strangler/ops-contract";
import type { NextPlanState, PlanAuditRecord } from "../src";

/** A service name no other test uses (the PostgreSQL spec shares one database between tests). */
export const uniqueService = (prefix = "svc") => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A plan state to write, at `step`, idle, with one table still owned by the legacy side. */
export function nextState(step: string, fields: Partial<NextPlanState> = {}): NextPlanState {
  return {
    step,
    stage: 0,
    status: "idle",
    owners: { t_one: "legacy" },
    enteredAt: null,
    sync: null,
    pending: null,
    ...fields,
  };
}

/** A passing gate with its figures. */
export const passingGate = (gate = "shadow-match"): GateResult => ({
  gate,
  verdict: "pass",
  message: "99.9 % over 1000 requests",
  figures: { rate: 0.999, sample: 1000, enough: true, note: null },
});

/** The audit record of a flip by `actor`. */
export function auditRecord(action: string, fields: Partial<PlanAuditRecord> = {}): PlanAuditRecord {
  return { actor: "runner@host", action, message: `${action} done`, gates: [passingGate()], ...fields };
}
