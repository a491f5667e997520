import {
  diffExampleSchema,
  diffReportSchema,
  OpsContractError,
  parseDiffSince,
  parseOpsDocument,
} from "@strangler/ops-contract";
import type { Logger } from "pino";
import { DIFF_REPORT_DEFAULT_SINCE } from "../defaults";
import { ProxyError } from "../errors/proxy-error";
import type { DiffResultsReader } from "./diff-results-reader";

/** Answers a GET under /admin/diff/ with the contract's document; undefined for any other path. */
export type DiffAdminRoute = (path: string, query: URLSearchParams) => Promise<unknown> | undefined;

const EXAMPLE_PATH = /^\/admin\/diff\/examples\/([^/]+)$/;

function unavailable(message: string, cause?: unknown): ProxyError {
  return new ProxyError(
    "STRANGLER_SERVICE_UNAVAILABLE",
    message,
    cause === undefined ? {} : { cause: (cause as Error).message },
    true,
  );
}

/** A store answer checked against the contract: the admin API never serves a document of another shape. */
function checked(schema: typeof diffReportSchema | typeof diffExampleSchema, value: unknown, document: string) {
  try {
    return parseOpsDocument(schema, value, { document, source: "the toolkit database" });
  } catch (error) {
    if (!(error instanceof OpsContractError)) throw error;
    throw new ProxyError("STRANGLER_INTERNAL", error.message);
  }
}

/**
 * GET /admin/diff/report?route=&service=&since= and GET /admin/diff/examples/:id: the shadow results
 * of every proxy replica, read from the toolkit database. 503 when there is none or it cannot be read.
 */
export function createDiffAdmin(
  reader: DiffResultsReader | null,
  logger: Logger,
  now: () => number = Date.now,
): DiffAdminRoute {
  const read = async <T>(what: string, call: (reader: DiffResultsReader) => Promise<T>): Promise<T> => {
    if (reader === null)
      throw unavailable(
        "no toolkit database: set toolkit.database in the migration config to keep and report shadow results",
      );
    try {
      return await call(reader);
    } catch (error) {
      logger.warn({ err: error }, `cannot read ${what} from the toolkit database`);
      throw unavailable(`the toolkit database cannot be read: ${(error as Error).message}`, error);
    }
  };

  return (path, query) => {
    if (path === "/admin/diff/report") {
      const at = now();
      const since = parseDiffSince(query.get("since") ?? DIFF_REPORT_DEFAULT_SINCE, at);
      if (!since.ok) throw new ProxyError("STRANGLER_BAD_REQUEST", `since: ${since.reason}`, { parameter: "since" });
      const routeId = query.get("route") || undefined;
      const service = query.get("service") || undefined;
      if (routeId !== undefined && service !== undefined)
        throw new ProxyError("STRANGLER_BAD_REQUEST", "give route or service, not both");
      return read("the diff report", (r) => r.report({ since: since.since, until: at, routeId, service })).then(
        (report) => checked(diffReportSchema, report, "the diff report"),
      );
    }
    const example = EXAMPLE_PATH.exec(path);
    if (example) {
      const id = decodeURIComponent(example[1] as string);
      return read("a diff example", (r) => r.example(id)).then((found) => {
        if (found === undefined)
          throw new ProxyError("STRANGLER_NOT_FOUND", `no diff example '${id}' (pruned, or never kept)`, { id });
        return checked(diffExampleSchema, found, "the diff example");
      });
    }
    return undefined;
  };
}
