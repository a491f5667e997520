import { z } from "zod";
import { PROXY_REQUEST_TIMEOUT } from "../../defaults";
import { CliError } from "../cli-error";

const flagView = z.object({ flag: z.string(), enabled: z.boolean(), rollout: z.number().nullable() });

/** The proxy's effective routing table (GET /admin/routes), as far as the CLI reads it. */
const routesReportSchema = z.object({
  flags: z.object({
    source: z.enum(["unleash", "backup", "none"]),
    lastSyncAt: z.string().nullable(),
    ageSeconds: z.number().nullable(),
  }),
  routes: z.array(
    z.object({
      id: z.string(),
      service: z.string(),
      kind: z.enum(["read", "write"]),
      methods: z.array(z.string()),
      path: z.string(),
      serve: flagView,
      shadow: flagView,
      backend: z.object({ url: z.string(), healthy: z.boolean() }),
      breaker: z.object({ state: z.enum(["closed", "open", "half-open"]), failures: z.number() }),
    }),
  ),
});

export type ProxyRoutesReport = z.output<typeof routesReportSchema>;
export type ProxyRouteView = ProxyRoutesReport["routes"][number];
export type ProxyFetch = (input: string, init: RequestInit) => Promise<Response>;

/** Reads one proxy's routing table. */
export type ProxyRoutesReader = () => Promise<ProxyRoutesReport>;

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

/** A reader of GET <adminUrl>/admin/routes with the bearer token; errors carry STRANGLER_PROXY_* codes. */
export function createProxyRoutesReader(options: { adminUrl: string; token: string; fetch?: ProxyFetch; timeoutMs?: number }): ProxyRoutesReader {
  const doFetch: ProxyFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? PROXY_REQUEST_TIMEOUT;
  const url = `${options.adminUrl.replace(/\/+$/, "")}/admin/routes`;
  return async () => {
    let response: Response;
    try {
      response = await doFetch(url, { headers: { Authorization: `Bearer ${options.token}` }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      const why = timedOut ? `no answer within ${timeoutMs / 1000} s` : (causeCode(error) ?? (error as Error).message);
      throw new CliError("STRANGLER_PROXY_UNREACHABLE", `the proxy is not reachable at ${options.adminUrl} (${why})`, { retriable: true, cause: error });
    }
    const text = await response.text();
    if (response.status === 401 || response.status === 403) {
      throw new CliError("STRANGLER_PROXY_AUTH_REJECTED", `the proxy at ${options.adminUrl} rejected the admin token (HTTP ${response.status})`, {
        status: response.status,
      });
    }
    if (!response.ok) {
      throw new CliError("STRANGLER_PROXY_BAD_RESPONSE", `the proxy at ${options.adminUrl} answered HTTP ${response.status} to GET /admin/routes: ${text.slice(0, 200)}`, {
        status: response.status,
        retriable: response.status >= 500,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CliError("STRANGLER_PROXY_BAD_RESPONSE", `the proxy at ${options.adminUrl} answered GET /admin/routes with something that is not JSON`);
    }
    const parsed = routesReportSchema.safeParse(json);
    if (!parsed.success) {
      const problem = parsed.error.issues[0];
      throw new CliError(
        "STRANGLER_PROXY_BAD_RESPONSE",
        `the proxy at ${options.adminUrl} answered GET /admin/routes with an unexpected shape (${problem ? `${problem.path.join(".")}: ${problem.message}` : "?"})`,
      );
    }
    return parsed.data;
  };
}
