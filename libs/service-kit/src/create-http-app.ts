import express, { type Express } from "express";
import type { Logger } from "pino";
import { errorHandler, unmatchedRoute } from "./error-handler";
import { jsonBody } from "./json-body";
import { httpLogger } from "./logger";
import { createMetrics, type AppMetrics } from "./metrics";

/** Largest JSON body an app accepts before answering 413. */
export const DEFAULT_BODY_LIMIT_BYTES = 100 * 1024;

export interface HttpAppOptions {
  name: string;
  logger: Logger;
  /** Resolves when the app can serve (its database answers); rejects with the reason otherwise. */
  readiness: () => Promise<void>;
  /** Mounts the app's own routes. */
  routes: (app: Express) => void;
  bodyLimitBytes?: number;
}

/** An Express app with the shared plumbing: request ids, logs, metrics, health, JSON, errors. */
export function createHttpApp(options: HttpAppOptions): { app: Express; metrics: AppMetrics } {
  const app = express();
  const metrics = createMetrics(options.name);
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(httpLogger(options.logger));
  app.use(metrics.middleware);
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (req, res) => {
    try {
      await options.readiness();
      res.json({ status: "ready" });
    } catch (error) {
      req.log.warn({ err: error }, "not ready");
      res.status(503).json({ status: "not ready", reason: error instanceof Error ? error.message : String(error) });
    }
  });
  app.get("/metrics", metrics.handler);
  app.use(jsonBody(options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES));
  options.routes(app);
  app.use(unmatchedRoute);
  app.use(errorHandler);
  return { app, metrics };
}
