import { compareRulesSchema } from "@strangler/migration-config";
import { z } from "zod";

/** The methods a case may use (the migration config's). */
export const CASE_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;
const READ_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

const headerName = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * One file of an HTTP parity corpus: one request, sent to the legacy app and to the service that owns
 * its route. Written by hand or by `strangler diff export`.
 */
export const corpusCaseSchema = z.strictObject({
  /** Shown in reports; default: the file name without its extension. */
  name: z.string().min(1, { error: "must not be empty" }).optional(),
  method: z
    .string({ error: `must be one of ${CASE_METHODS.join(", ")}` })
    .transform((method) => method.toUpperCase())
    .pipe(z.enum(CASE_METHODS, { error: `must be one of ${CASE_METHODS.join(", ")}` })),
  /** The legacy path, with its query string if any: /api/users?limit=5. */
  path: z.string({ error: "must be a path such as /api/users/42" }).regex(/^\/[\x21-\x7e]*$/, {
    error: "must be a path starting with / (URL-encoded: no spaces or control characters)",
  }),
  headers: z
    .record(
      z.string().regex(headerName, { error: "must be a header name" }),
      z.string({ error: "must be a string" }).regex(/^[^\r\n\0]*$/, { error: "must be one line" }),
    )
    .default({}),
  /** A JSON value (sent as application/json) or a string (sent as is). */
  body: z.json().optional(),
  expect: z.strictObject({ status: z.number().int().min(100).max(599).optional() }).optional(),
  /** Fields of this case's answers left out of the comparison, added to the config's rules for the route. */
  compare: z.strictObject({ ignore: compareRulesSchema.shape.ignore }).optional(),
});

/** A case as written in its file. */
export type CorpusCaseInput = z.input<typeof corpusCaseSchema>;

/** A validated case, with where it came from. */
export interface CorpusCase {
  name: string;
  /** Its file, relative to the corpus folder (forward slashes). */
  file: string;
  method: (typeof CASE_METHODS)[number];
  path: string;
  headers: Record<string, string>;
  body: z.output<typeof corpusCaseSchema>["body"];
  expectStatus: number | undefined;
  ignore: string[];
}

/** A write: not a read method, or carrying a body. Sent only as a dry run, to sides that support it. */
export function isWriteCase(corpusCase: Pick<CorpusCase, "method" | "body">): boolean {
  return !READ_METHODS.has(corpusCase.method) || corpusCase.body !== undefined;
}
