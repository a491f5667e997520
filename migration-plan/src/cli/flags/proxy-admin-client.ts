import {
  OpsContractError,
  parseOpsResponse,
  type ProxyRouteView,
  type ProxyRoutingReport,
  proxyRoutingReportSchema,
} from "@strangler/ops-contract";
import { PROXY_REQUEST_TIMEOUT } from "../../defaults";
import { CliError } from "../cli-error";

/** The proxy's effective routing table (GET /admin/routes): the operations contract's document. */
export type ProxyRoutesReport = ProxyRoutingReport;
export type { ProxyRouteView };
export type ProxyFetch = (input: string, init: RequestInit) => Promise<Response>;

/** Reads one proxy's routing table. */
export type ProxyRoutesReader = () => Promise<ProxyRoutesReport>;

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

/** A reader of GET <adminUrl>/admin/routes with the bearer token; errors carry STRANGLER_PROXY_* codes. */
export function createProxyRoutesReader(options: {
  adminUrl: string;
  token: () => string;
  fetch?: ProxyFetch;
  timeoutMs?: number;
}): ProxyRoutesReader {
  const doFetch: ProxyFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? PROXY_REQUEST_TIMEOUT;
  const url = `${options.adminUrl.replace(/\/+$/, "")}/admin/routes`;
  return async () => {
    const token = options.token();
    let response: Response;
    try {
      response = await doFetch(url, {
        headers: { Authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      const why = timedOut ? `no answer within ${timeoutMs / 1000} s` : (causeCode(error) ?? (error as Error).message);
      throw new CliError("STRANGLER_PROXY_UNREACHABLE", `the proxy is not reachable at ${options.adminUrl} (${why})`, {
        retriable: true,
        cause: error,
      });
    }
    const text = await response.text();
    if (response.status === 401 || response.status === 403) {
      throw new CliError(
        "STRANGLER_PROXY_AUTH_REJECTED",
        `the proxy at ${options.adminUrl} rejected the admin token (HTTP ${response.status})`,
        {
          status: response.status,
        },
      );
    }
    if (!response.ok) {
      throw new CliError(
        "STRANGLER_PROXY_BAD_RESPONSE",
        `the proxy at ${options.adminUrl} answered HTTP ${response.status} to GET /admin/routes: ${text.slice(0, 200)}`,
        {
          status: response.status,
          retriable: response.status >= 500,
        },
      );
    }
    try {
      return parseOpsResponse(proxyRoutingReportSchema, text, {
        document: "the proxy's routing report",
        source: `GET ${url}`,
      });
    } catch (error) {
      if (!(error instanceof OpsContractError)) throw error;
      throw new CliError("STRANGLER_PROXY_BAD_RESPONSE", error.message, { cause: error });
    }
  };
}
