import { z } from "zod";

/** Which side accepts a table's writes: one writer per table, always. */
export const tableOwnerSchema = z.enum(["legacy", "service"]);

/**
 * What the plan asks of a service's CDC streams (the CDC process follows it; null: the migration
 * config's data section decides, as before any plan). During the write switch the reverse stream
 * starts first, then the forward stream stops applying: one writer per table, always.
 */
export const syncDirectionsSchema = z.object({
  /**
   * apply: the forward stream (legacy → service) applies the legacy database's changes; watch: it
   * reads them and applies none, counting each legacy write to the service's tables as a violation
   * (the service owns the writes; the reverse stream's own writes are echoes, not violations).
   */
  forward: z.enum(["apply", "watch"]),
  /** The reverse stream (service → legacy) runs. */
  reverse: z.boolean(),
});

/** The figures a gate measured when it was evaluated (each names what failed and by how much). */
export const gateResultSchema = z.object({
  gate: z.string(),
  /** pass: the step may go on; hold: not enough evidence yet (too little traffic); fail: roll back. */
  verdict: z.enum(["pass", "hold", "fail"]),
  message: z.string(),
  figures: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
});

/**
 * Where one service's migration plan stands (toolkit database). `step` is the id of the current step
 * of the service's plan; `stage` the position inside it (the canary's share index); `pending` an
 * action started and not yet confirmed, so `plan next` after a crash finishes it once.
 */
export const planStateSchema = z.object({
  service: z.string(),
  step: z.string(),
  stage: z.number().int().nonnegative(),
  status: z.enum(["idle", "in_progress", "held", "failed", "done"]),
  owners: z.record(z.string(), tableOwnerSchema),
  /** When the plan entered this step and stage (its action done): gates count evidence from then; null: not entered yet. */
  enteredAt: z.string().nullable().default(null),
  /** The CDC directions the plan asks for; null: the config decides. */
  sync: syncDirectionsSchema.nullable().default(null),
  pending: z
    .object({ action: z.string(), target: z.record(z.string(), z.unknown()), startedAt: z.string() })
    .nullable(),
  /** Optimistic concurrency: every transition writes version + 1. */
  version: z.number().int().nonnegative(),
  updatedAt: z.string(),
});

/** One entry of the plan's audit log: who did what, when, before → after, and the gate figures. */
export const planAuditEntrySchema = z.object({
  id: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
  service: z.string(),
  action: z.string(),
  message: z.string(),
  before: planStateSchema.nullable(),
  after: planStateSchema,
  gates: z.array(gateResultSchema),
});

export type SyncDirections = z.output<typeof syncDirectionsSchema>;
export type TableOwner = z.output<typeof tableOwnerSchema>;
export type GateResult = z.output<typeof gateResultSchema>;
export type PlanState = z.output<typeof planStateSchema>;
export type PlanAuditEntry = z.output<typeof planAuditEntrySchema>;
