import { z } from "zod";

/**
 * A JSON pointer pattern (RFC 6901) into a response body: `/email`, `/items/*` + `/updatedAt`
 * (`*` = any one member or index), `/**` + `/etag` (`**` = any depth, including none).
 */
const pointerPattern = z
  .string({ error: "must be a JSON pointer such as /email or /items/*/updatedAt" })
  .regex(/^(\/[^/]*)*$/, { error: "must be a JSON pointer: empty (the whole body) or starting with /" });

/** One normaliser: where it applies and exactly one way of making two values equal. */
const normaliser = z
  .strictObject({
    /** Where it applies (default: everywhere). */
    path: pointerPattern.default("/**"),
    /** Strings compared without regard to case. */
    caseInsensitive: z.literal(true).optional(),
    /** Numbers within this absolute difference are equal. */
    tolerance: z.number().nonnegative().optional(),
    /** Timestamps (ISO 8601 strings) truncated to this unit before comparing. */
    timestampPrecision: z.enum(["ms", "s", "min"]).optional(),
    /** null and a missing field are the same. */
    nullIsMissing: z.literal(true).optional(),
  })
  .superRefine((rule, ctx) => {
    const ways = ["caseInsensitive", "tolerance", "timestampPrecision", "nullIsMissing"].filter(
      (key) => rule[key as keyof typeof rule] !== undefined,
    );
    if (ways.length !== 1)
      ctx.addIssue({
        code: "custom",
        message: `must set exactly one of caseInsensitive, tolerance, timestampPrecision, nullIsMissing (has ${ways.length === 0 ? "none" : ways.join(", ")})`,
      });
  });

/** An array compared as a set of objects keyed by a field instead of by position. */
const arrayRule = z.strictObject({ path: pointerPattern, by: z.string().min(1) });

/**
 * How responses of the old and the new side are compared (shadow mode and HTTP parity): per service,
 * refined per route (the route's lists add to the service's, its scalars override).
 */
export const compareRulesSchema = z.strictObject({
  /** Response headers compared (case-insensitive names); default: content-type. */
  headers: z.array(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { error: "must be a header name" })).optional(),
  /** Fields left out of the comparison. */
  ignore: z.array(pointerPattern).default([]),
  normalise: z.array(normaliser).default([]),
  arrays: z.array(arrayRule).default([]),
  /** Old → new field moves in the response body (legacy pointer → service pointer), applied to the legacy answer before comparing. */
  map: z.record(pointerPattern, pointerPattern).default({}),
  /**
   * Noise (Diffy): a field is a regression only when its old-vs-new difference rate exceeds its
   * old-vs-old rate by more than `relative` % of it and by more than `absolute` percentage points.
   */
  noise: z
    .strictObject({ relative: z.number().min(0).optional(), absolute: z.number().min(0).max(100).optional() })
    .optional(),
});

export type CompareRulesConfig = z.output<typeof compareRulesSchema>;
