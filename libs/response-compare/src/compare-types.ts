/** Which side of the migration answered: the monolith (old) or the extracted service (new). */
export type Side = "legacy" | "service";

/** One answer as captured for comparison. */
export interface ComparedResponse {
  status: number;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Readonly<Record<string, string>>;
  /** The body as received (content-encoding not yet undone). */
  body: Uint8Array;
}

/** Diffy's kinds of difference (status and header differences are reported at `/status` or `/headers/<name>`). */
export type DifferenceKind =
  "value" | "type" | "missing" | "extra" | "length" | "order" | "status" | "header" | "bytes";

/** One difference. `path` is a JSON pointer into the body (after the old→new mapping), or `/status`, `/headers/<name>`. */
export interface Difference {
  path: string;
  kind: DifferenceKind;
  /** The legacy side's value (JSON-encoded, cut to a few hundred characters); absent when missing there. */
  legacy?: string;
  /** The service side's value, likewise. */
  service?: string;
  /** Why the comparison fell back to bytes, when it did (a body declared JSON that does not parse, gzip that does not decode). */
  note?: string;
}

/** The result of comparing two answers. */
export interface Comparison {
  equal: boolean;
  differences: Difference[];
  /** The stable signature of the differences (sorted `kind path` pairs with array indices as `*`); "" when equal. */
  signature: string;
}
