import type { IncomingHttpHeaders } from "node:http";
import pino, { type Logger } from "pino";
import { pinoHttp } from "pino-http";
import type { RequestHandler } from "express";
import { assignRequestId } from "./request-id";

export type { Logger } from "pino";

/** A JSON logger named after the app. */
export function createLogger(name: string, level = "info"): Logger {
  return pino({ name, level, base: { app: name } });
}

/** The proxy's marker on a mirrored request (shadow traffic). */
export const SHADOW_HEADER = "x-strangler-shadow";
/** A write with this header set to 1 runs and is rolled back (what a service with `dryRun: true` honours). */
export const DRY_RUN_HEADER = "x-strangler-dry-run";

/** `shadow: true` (and `dryRun: true`) on the request log lines of a mirrored request, so shadow traffic can be told apart. */
export function shadowLogFields(headers: IncomingHttpHeaders): Record<string, boolean> {
  if (headers[SHADOW_HEADER] !== "1") return {};
  return headers[DRY_RUN_HEADER] === "1" ? { shadow: true, dryRun: true } : { shadow: true };
}

/** Request logging with the request id on every line (`req.log`), and the shadow marker on mirrored requests. */
export function httpLogger(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req, res) => assignRequestId(req, res),
    customProps: (req) => shadowLogFields(req.headers),
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info",
    autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" || req.url === "/metrics" },
  });
}
