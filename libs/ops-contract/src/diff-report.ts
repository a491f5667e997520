import { z } from "zod";

/** Latency percentiles in milliseconds, merged from histograms across proxy replicas; null without samples. */
export const latencySummarySchema = z.object({
  count: z.number().int().nonnegative(),
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
});

/** One difference as reported (see @strangler/response-compare's Difference). */
export const differenceSchema = z.object({
  path: z.string(),
  kind: z.enum(["value", "type", "missing", "extra", "length", "order", "status", "header", "bytes"]),
  legacy: z.string().optional(),
  service: z.string().optional(),
  /** Why the bodies were compared as bytes, when they were (declared JSON but not, content-encoding that did not decode). */
  note: z.string().optional(),
});

/** A group of mismatches with the same set of differing field paths and kinds. */
export const diffSignatureSchema = z.object({
  signature: z.string(),
  fields: z.array(z.object({ path: z.string(), kind: differenceSchema.shape.kind })),
  count: z.number().int().nonnegative(),
  /** Share of the route's compared requests with this signature (0–1). */
  share: z.number(),
  /** An example to open with `strangler diff show <id>`; null when none was kept. */
  exampleId: z.string().nullable(),
});

/** A field that differs between two answers of the same side: noise, not a regression. */
export const noiseFieldSchema = z.object({
  path: z.string(),
  /** Old-vs-old: differing / compared in the noise sample. */
  noiseDiffering: z.number().int().nonnegative(),
  noiseCompared: z.number().int().nonnegative(),
  /** Old-vs-new: differing / compared. */
  differing: z.number().int().nonnegative(),
  compared: z.number().int().nonnegative(),
});

/** One route's shadow results over the report's window, summed over every proxy replica. */
export const routeDiffReportSchema = z.object({
  routeId: z.string(),
  service: z.string(),
  /** Requests whose two answers were compared. */
  compared: z.number().int().nonnegative(),
  matches: z.number().int().nonnegative(),
  mismatches: z.number().int().nonnegative(),
  /** Differences only in fields learnt as noise: counted as matches in the match rate. */
  noiseOnly: z.number().int().nonnegative(),
  /** A write whose outcome only says CDC got there first (409 on a create, 404 on a delete): not a mismatch. */
  cdcFirst: z.number().int().nonnegative(),
  candidateErrors: z.number().int().nonnegative(),
  candidateTimeouts: z.number().int().nonnegative(),
  /** Not mirrored or not compared, by reason (write_without_dry_run, request_body_too_large, concurrency_limit, breaker_open, response_too_large, dropped, …). */
  skipped: z.record(z.string(), z.number().int().nonnegative()),
  /** (matches + noiseOnly + cdcFirst) / compared; null when nothing was compared. */
  matchRate: z.number().nullable(),
  latency: z.object({ legacy: latencySummarySchema, service: latencySummarySchema }),
  signatures: z.array(diffSignatureSchema),
  noise: z.array(noiseFieldSchema),
});

/**
 * GET /admin/diff/report of the proxy's admin API and `strangler diff report --json`: shadow
 * comparison results per route from the toolkit database.
 */
export const diffReportSchema = z.object({
  /** ISO times of the window. */
  since: z.string(),
  until: z.string(),
  routes: z.array(routeDiffReportSchema),
});

const answerSchema = z.object({
  status: z.number().int(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
  latencyMs: z.number(),
});

/** GET /admin/diff/examples/:id and `strangler diff show <id> --json`: one sampled mismatch. */
export const diffExampleSchema = z.object({
  id: z.string(),
  at: z.string(),
  routeId: z.string(),
  service: z.string(),
  /** The side that answered the client. */
  primary: z.enum(["legacy", "service"]),
  method: z.string(),
  path: z.string(),
  requestHeaders: z.record(z.string(), z.string()),
  /** Request body prefix as text (UTF-8, replacement characters for invalid bytes); null without a body. */
  requestBody: z.string().nullable(),
  requestId: z.string(),
  traceId: z.string(),
  signature: z.string(),
  /** Both answers as captured (bodies as text after content decoding, cut to the capture bound). */
  answers: z.object({ legacy: answerSchema, service: answerSchema }),
  differences: z.array(differenceSchema),
});

export type LatencySummary = z.infer<typeof latencySummarySchema>;
export type DiffDifference = z.infer<typeof differenceSchema>;
export type DiffSignature = z.infer<typeof diffSignatureSchema>;
export type NoiseField = z.infer<typeof noiseFieldSchema>;
export type RouteDiffReport = z.infer<typeof routeDiffReportSchema>;
export type DiffReport = z.infer<typeof diffReportSchema>;
export type DiffExample = z.infer<typeof diffExampleSchema>;
