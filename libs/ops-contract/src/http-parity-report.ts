import { z } from "zod";
import { differenceSchema } from "./diff-report";

const count = z.number().int().nonnegative();

/** One side's answer to a case, as far as the report needs it (the bodies stay out: see `strangler diff show` for those). */
export const httpParityAnswerSchema = z.object({
  /** Where the request went (the side's base URL and the path, `servicePath` applied for the service). */
  url: z.string(),
  status: z.number().int(),
  latencyMs: z.number(),
  /** The side confirmed a dry run (answered `x-strangler-dry-run: 1`); only set for writes. */
  dryRunConfirmed: z.boolean().optional(),
});

/**
 * One case of an HTTP parity run:
 * - passed: both answers agree under the route's rules (differences only on learnt noise count as agreeing);
 * - failed: an unexplained difference (`differences`, with field paths and kinds) or an expectation not met (`problems`);
 * - skipped: not sent, with the reason (a write for a side without dry-run);
 * - error: a side could not be reached or did not answer in time (`problems` says which and why).
 */
export const httpParityCaseSchema = z.object({
  name: z.string(),
  /** The case file, relative to the corpus folder. */
  file: z.string(),
  routeId: z.string(),
  service: z.string(),
  method: z.string(),
  path: z.string(),
  outcome: z.enum(["passed", "failed", "skipped", "error"]),
  /** Why it was skipped (skipped only). */
  reason: z.string().optional(),
  /** Sent as a dry run (a write). */
  dryRun: z.boolean(),
  /** Both answers; null for a side not asked (skipped) or that did not answer (error). */
  answers: z.object({ legacy: httpParityAnswerSchema.nullable(), service: httpParityAnswerSchema.nullable() }),
  /** Unexplained differences (after the route's rules, the case's ignores and learnt noise). */
  differences: z.array(differenceSchema),
  /** Differences on fields learnt as noise: reported, not failed. */
  noise: z.array(differenceSchema),
  /** Expectations not met (`expect.status`) and sides that could not be reached. */
  problems: z.array(z.string()),
  durationMs: z.number(),
});

/** `strangler parity http --json`: the result of replaying a corpus against the legacy app and the services. */
export const httpParityReportSchema = z.object({
  /** The migration config and the corpus folder used. */
  config: z.string(),
  corpus: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  /** Whether learnt noise from the toolkit database was used (`unavailable`: configured but not readable, see warnings; `ignored`: --ignore-learnt-noise). */
  learntNoise: z.enum(["used", "unavailable", "not-configured", "ignored"]),
  warnings: z.array(z.string()),
  counts: z.object({ cases: count, passed: count, failed: count, skipped: count, errors: count }),
  cases: z.array(httpParityCaseSchema),
  /** The JUnit XML file written, when one was asked for. */
  junit: z.string().nullable(),
});

export type HttpParityAnswer = z.output<typeof httpParityAnswerSchema>;
export type HttpParityCase = z.output<typeof httpParityCaseSchema>;
export type HttpParityReport = z.output<typeof httpParityReportSchema>;
