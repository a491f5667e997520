import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { ProxyError } from "../errors/proxy-error";
import { sendError } from "../errors/send-error";
import { requestIdOf } from "../forwarding/request-id";
import { createDiffAdmin, type DiffAdminRoute } from "./diff-admin";

export interface AdminContext {
  /** Checks the Authorization header of /admin/* requests. */
  authorized: (authorization: string | undefined) => boolean;
  /** GET /admin/routes. */
  routes: () => unknown;
  /** GET /admin/health. */
  health: () => unknown;
  /** GET /metrics: the Prometheus text and its content type. */
  metrics: () => Promise<{ contentType: string; text: string }>;
  /** Ready once the routing table is loaded (flags may still come from the backup file or be absent). */
  isReady: () => boolean;
  /** GET /admin/diff/…: shadow results from the toolkit database (absent: answered 503, no toolkit database). */
  diff?: DiffAdminRoute;
  logger: Logger;
}

function sendJson(res: ServerResponse, status: number, body: unknown, requestId: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    "x-request-id": requestId,
  });
  res.end(text);
}

/** The admin port: /healthz, /readyz and /metrics open; /admin/* behind the bearer token. */
export function createAdminHandler(ctx: AdminContext): (req: IncomingMessage, res: ServerResponse) => void {
  const protectedRoutes: Record<string, () => unknown> = { "/admin/routes": ctx.routes, "/admin/health": ctx.health };
  const diff = ctx.diff ?? createDiffAdmin(null, ctx.logger);
  // The reports may be promises (a supervisor collects them from its workers).
  return (req, res) => {
    const requestId = requestIdOf(req.headers["x-request-id"]);
    const path = (req.url ?? "/").split("?")[0] as string;
    const readOnly = req.method === "GET" || req.method === "HEAD";
    const respond = async () => {
      if (path === "/admin" || path.startsWith("/admin/")) {
        if (!ctx.authorized(req.headers.authorization)) {
          ctx.logger.warn({ requestId, path, peer: req.socket.remoteAddress }, "admin request without a valid token");
          return sendError(
            res,
            new ProxyError(
              "STRANGLER_UNAUTHORIZED",
              "the admin API needs Authorization: Bearer <STRANGLER_PROXY_ADMIN_TOKEN>",
            ),
            requestId,
            { "www-authenticate": 'Bearer realm="strangler-proxy"' },
          );
        }
        const query = new URLSearchParams((req.url ?? "").split("?")[1] ?? "");
        const route = protectedRoutes[path] ?? (path.startsWith("/admin/diff/") ? () => diff(path, query) : undefined);
        if (!route)
          return sendError(
            res,
            new ProxyError("STRANGLER_NOT_FOUND", `no admin resource ${path}`, { path }),
            requestId,
          );
        if (!readOnly)
          return sendError(res, new ProxyError("STRANGLER_METHOD_NOT_ALLOWED", `${path} only answers GET`), requestId, {
            allow: "GET, HEAD",
          });
        const body = await route();
        if (body === undefined)
          return sendError(
            res,
            new ProxyError("STRANGLER_NOT_FOUND", `no admin resource ${path}`, { path }),
            requestId,
          );
        return sendJson(res, 200, body, requestId);
      }
      if (!readOnly && (path === "/healthz" || path === "/readyz" || path === "/metrics")) {
        return sendError(res, new ProxyError("STRANGLER_METHOD_NOT_ALLOWED", `${path} only answers GET`), requestId, {
          allow: "GET, HEAD",
        });
      }
      if (path === "/healthz") return sendJson(res, 200, { status: "ok" }, requestId);
      if (path === "/readyz")
        return ctx.isReady()
          ? sendJson(res, 200, { status: "ready" }, requestId)
          : sendJson(res, 503, { status: "not ready" }, requestId);
      if (path === "/metrics") {
        const { contentType, text } = await ctx.metrics();
        res.writeHead(200, {
          "content-type": contentType,
          "content-length": Buffer.byteLength(text),
          "x-request-id": requestId,
        });
        return void res.end(text);
      }
      return sendError(res, new ProxyError("STRANGLER_NOT_FOUND", `no admin resource ${path}`, { path }), requestId);
    };
    respond().catch((error: unknown) => {
      ctx.logger.error({ err: error, requestId, path }, "admin request failed");
      if (!res.headersSent)
        sendError(
          res,
          error instanceof ProxyError ? error : new ProxyError("STRANGLER_INTERNAL", "admin request failed"),
          requestId,
        );
      else res.destroy();
    });
  };
}
