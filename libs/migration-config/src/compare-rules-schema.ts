import { z } from "zod";

/**
 * A JSON pointer pattern (RFC 6901) into a response body: `/email`, `/items/*` + `/updatedAt`
 * (`*` = any one member or index), `/**` + `/etag` (`**` = any depth, including none).
 */
const pointerPattern = z
  .string({ error: "must be a JSON pointer such as /email or /items/*/updatedAt" })
  .regex(/^(\/[^/]*)*$/, { error: "must be a JSON pointer: empty (the whole body) or starting with /" })
  .regex(/^[^~]*(~[01][^~]*)*$/, { error: "must escape ~ as ~0 and / as ~1 (RFC 6901)" });

const segmentsOf = (pointer: string) => pointer.split("/").slice(1);
const wildcards = (pointer: string) => segmentsOf(pointer).filter((segment) => segment === "*").length;
/** Whether pointer `inner` is `outer` or lies below it (whole segments). */
const within = (inner: string, outer: string) => inner === outer || inner.startsWith(outer + "/");

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
const arrayRule = z.strictObject({
  path: pointerPattern,
  /** The member whose value identifies an element (a string, number or boolean), e.g. id. */
  by: z
    .string({ error: "must name the member that identifies an element, e.g. id" })
    .min(1, { error: "must name the member that identifies an element, e.g. id" }),
});

/**
 * Old → new field moves: legacy pointer → service pointer. `*` stands for the same member or index on
 * both sides (`/items/*` + `/name` → `/items/*` + `/displayName`); each target must be distinct.
 */
const fieldMap = z.record(pointerPattern, pointerPattern).superRefine((map, ctx) => {
  const seen: Array<[string, string]> = [];
  for (const [legacy, service] of Object.entries(map)) {
    const problem =
      legacy === "" || service === ""
        ? "must move a field, not the whole body (both pointers start with /)"
        : segmentsOf(legacy).includes("**") || segmentsOf(service).includes("**")
          ? "cannot map ** (use * for one segment)"
          : wildcards(legacy) !== wildcards(service)
            ? `must have as many * on both sides (${wildcards(legacy)} in ${legacy}, ${wildcards(service)} in ${service})`
            : undefined;
    if (problem) ctx.addIssue({ code: "custom", path: [legacy], message: problem });
    const clash = seen.find(([, other]) => within(service, other) || within(other, service));
    if (clash)
      ctx.addIssue({
        code: "custom",
        path: [legacy],
        message: `moves to ${service}, which collides with ${clash[0]} → ${clash[1]} (each field needs its own place)`,
      });
    seen.push([legacy, service]);
  }
});

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
  map: fieldMap.default({}),
  /**
   * Noise (Diffy): a field is a regression only when its old-vs-new difference rate exceeds its
   * old-vs-old rate by more than `relative` % of it (default 20) and by more than `absolute`
   * percentage points (default 0.03, i.e. 3 requests in 10,000); defaults in response-compare's defaults.ts.
   */
  noise: z
    .strictObject({ relative: z.number().min(0).optional(), absolute: z.number().min(0).max(100).optional() })
    .optional(),
});

export type CompareRulesConfig = z.output<typeof compareRulesSchema>;
