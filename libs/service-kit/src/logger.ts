import pino, { type Logger } from "pino";
import { pinoHttp } from "pino-http";
import type { RequestHandler } from "express";
import { assignRequestId } from "./request-id";

export type { Logger } from "pino";

/** A JSON logger named after the app. */
export function createLogger(name: string, level = "info"): Logger {
  return pino({ name, level, base: { app: name } });
}

/** Request logging with the request id on every line (`req.log`). */
export function httpLogger(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req, res) => assignRequestId(req, res),
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info",
    autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" || req.url === "/metrics" },
  });
}
