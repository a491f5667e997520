import { z } from "zod";

/** Where the proxy's flags come from: Unleash, its backup file (Unleash unreachable), or nowhere yet. */
export const flagSyncSchema = z.object({
  source: z.enum(["unleash", "backup", "none"]),
  /** ISO time of the last successful read from Unleash; null before the first. */
  lastSyncAt: z.string().nullable(),
  /** Seconds since then; null before the first. */
  ageSeconds: z.number().nullable(),
});

/** A route flag as one proxy evaluates it now. */
export const proxyFlagViewSchema = z.object({ flag: z.string(), enabled: z.boolean(), rollout: z.number().nullable() });

/** A circuit breaker in front of a service. */
export const breakerStateSchema = z.object({
  state: z.enum(["closed", "open", "half-open"]),
  failures: z.number().int().nonnegative(),
});

/** One route of the effective routing table. */
export const proxyRouteViewSchema = z.object({
  id: z.string(),
  service: z.string(),
  kind: z.enum(["read", "write"]),
  methods: z.array(z.string()),
  /** The route's path pattern as the config writes it ("/api/users/:id"). */
  path: z.string(),
  serve: proxyFlagViewSchema,
  shadow: proxyFlagViewSchema,
  backend: z.object({ url: z.string(), healthy: z.boolean() }),
  breaker: breakerStateSchema,
});

/**
 * GET /admin/routes of the proxy's admin API (bearer token): the effective routing table, per route
 * its flags as this proxy (all its workers) sees them now, and the breaker of its backend. The
 * `strangler` CLI confirms a flag change with it.
 */
export const proxyRoutingReportSchema = z.object({ flags: flagSyncSchema, routes: z.array(proxyRouteViewSchema) });

export type FlagSync = z.output<typeof flagSyncSchema>;
export type ProxyFlagView = z.output<typeof proxyFlagViewSchema>;
export type BreakerState = z.output<typeof breakerStateSchema>;
export type ProxyRouteView = z.output<typeof proxyRouteViewSchema>;
export type ProxyRoutingReport = z.output<typeof proxyRoutingReportSchema>;
