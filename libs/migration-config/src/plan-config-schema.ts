import { z } from "zod";
import {
  PLAN_CANARY_CONFIDENCE,
  PLAN_CANARY_MAX_ERROR_RATE_INCREASE,
  PLAN_CANARY_MAX_LATENCY_RATIO,
  PLAN_CANARY_MIN_SAMPLE,
  PLAN_CANARY_READ_SHARES,
  PLAN_CDC_MAX_LAG_SECONDS,
  PLAN_DECOMMISSION_EVIDENCE_SECONDS,
  PLAN_PARITY_MAX_AGE_SECONDS,
  PLAN_SHADOW_MIN_MATCH_RATE,
  PLAN_SHADOW_MIN_SAMPLE,
} from "./defaults";

const share = z.number({ error: "must be a share between 0 and 1" }).min(0).max(1);
const count = z.number({ error: "must be a whole number" }).int().min(1, { error: "must be at least 1" });
const seconds = z.number({ error: "must be a number of seconds" }).int().min(0, { error: "must not be negative" });

const percents = z
  .array(z.number({ error: "must be a percentage" }).int().min(1).max(100, { error: "must be at most 100" }))
  .min(1, { error: "must list at least one share" })
  .superRefine((shares, ctx) => {
    if (shares.some((value, i) => i > 0 && value <= (shares[i - 1] as number)))
      ctx.addIssue({ code: "custom", message: "must rise step by step, e.g. [1, 10, 50, 100]" });
    if (shares[shares.length - 1] !== 100) ctx.addIssue({ code: "custom", message: "must end at 100" });
  });

/**
 * A service's migration plan (issue 13): the steps are fixed (prepare → sync → verify data → shadow →
 * canary reads → switch writes → decommission, each only where the service has what it needs); the
 * config says how the canary moves and what each gate demands. Every key has a default, so a
 * service needs no `plan` at all.
 */
export const planSchema = z.strictObject({
  canary: z.strictObject({ reads: percents.default([...PLAN_CANARY_READ_SHARES]) }).prefault({}),
  gates: z
    .strictObject({
      shadow: z
        .strictObject({
          minSample: count.default(PLAN_SHADOW_MIN_SAMPLE),
          minMatchRate: share.default(PLAN_SHADOW_MIN_MATCH_RATE),
        })
        .prefault({}),
      canary: z
        .strictObject({
          minSample: count.default(PLAN_CANARY_MIN_SAMPLE),
          confidence: z.number().gt(0.5).lt(1).default(PLAN_CANARY_CONFIDENCE),
          maxErrorRateIncrease: share.default(PLAN_CANARY_MAX_ERROR_RATE_INCREASE),
          maxLatencyRatio: z
            .number()
            .min(1, { error: "must be at least 1 (no slower)" })
            .default(PLAN_CANARY_MAX_LATENCY_RATIO),
        })
        .prefault({}),
      cdc: z.strictObject({ maxLagSeconds: seconds.default(PLAN_CDC_MAX_LAG_SECONDS) }).prefault({}),
      parity: z.strictObject({ maxAgeSeconds: seconds.default(PLAN_PARITY_MAX_AGE_SECONDS) }).prefault({}),
      decommission: z
        .strictObject({ evidenceSeconds: seconds.default(PLAN_DECOMMISSION_EVIDENCE_SECONDS) })
        .prefault({}),
    })
    .prefault({}),
});

export type PlanConfig = z.output<typeof planSchema>;
