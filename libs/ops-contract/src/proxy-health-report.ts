import { z } from "zod";
import { breakerStateSchema, flagSyncSchema } from "./proxy-routing-report";

/** One service behind the proxy, as its breaker sees it. */
export const proxyBackendHealthSchema = z.object({
  service: z.string(),
  url: z.string(),
  healthy: z.boolean(),
  breaker: breakerStateSchema,
  lastError: z.string().nullable(),
  /** ISO time of lastError. */
  lastErrorAt: z.string().nullable(),
});

/** GET /admin/health of the proxy's admin API (bearer token): degraded while any service's breaker is not closed. */
export const proxyHealthReportSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  flags: flagSyncSchema,
  legacy: z.object({ name: z.string(), url: z.string() }),
  backends: z.array(proxyBackendHealthSchema),
});

export type ProxyBackendHealth = z.output<typeof proxyBackendHealthSchema>;
export type ProxyHealthReport = z.output<typeof proxyHealthReportSchema>;
