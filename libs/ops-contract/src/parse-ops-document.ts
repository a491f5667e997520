import type { z } from "zod";
import { OpsContractError } from "./ops-contract-error";

/** "streams[0].position[1].lag" for zod's ["streams", 0, "position", 1, "lag"]. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, index) => (typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`))
    .join("");
}

/** What a document is, for messages: its name in the contract and where it came from. */
export interface OpsDocumentSource {
  /** The document's name in the contract, e.g. "the proxy's routing report". */
  document: string;
  /** Where it came from, e.g. "GET http://127.0.0.1:4199/admin/routes". */
  source: string;
}

/**
 * Checks a parsed JSON value against a document schema; throws OpsContractError naming the source
 * and the first field that does not match (with what was expected).
 */
export function parseOpsDocument<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  from: OpsDocumentSource,
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue ? fieldPath(issue.path) : "";
  const problem = issue ? `${field || "(the whole document)"}: ${issue.message}` : "unknown problem";
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : "";
  throw new OpsContractError(
    "OPS_DOCUMENT_MISMATCH",
    `${from.source} answered a document that is not ${from.document}: ${problem}${more}`,
    {
      source: from.source,
      field,
    },
  );
}

/** Parses a response body as JSON, then as the document; throws OpsContractError for either failure. */
export function parseOpsResponse<Schema extends z.ZodType>(
  schema: Schema,
  body: string,
  from: OpsDocumentSource,
): z.output<Schema> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new OpsContractError(
      "OPS_DOCUMENT_NOT_JSON",
      `${from.source} answered something that is not JSON (${from.document} expected): ${body.slice(0, 120)}`,
      {
        source: from.source,
        cause: error,
      },
    );
  }
  return parseOpsDocument(schema, value, from);
}
