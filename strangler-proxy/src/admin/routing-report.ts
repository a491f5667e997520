import type { CompiledRoute } from "@strangler/migration-config";
import type { ProxyRoutingReport } from "@strangler/ops-contract";
import type { FlagSource } from "../flags/flag-source";
import type { ServiceBackend } from "../proxy-context";

/** The JSON of GET /admin/routes: the operations contract's routing report (the `strangler` CLI reads it). */
export type RoutingReport = ProxyRoutingReport;

/** The effective routing table: per route its flags as this proxy sees them now, and its backend's breaker. */
export function routingReport(
  routes: readonly CompiledRoute[],
  flags: FlagSource,
  services: ReadonlyMap<string, ServiceBackend>,
): RoutingReport {
  const status = flags.status();
  const flagOf = (flag: string) => {
    const state = flags.state(flag);
    return { flag, enabled: state?.enabled ?? false, rollout: state?.rollout ?? null };
  };
  return {
    flags: {
      source: status.source,
      lastSyncAt: status.lastSyncAt ? status.lastSyncAt.toISOString() : null,
      ageSeconds: status.ageSeconds === null ? null : Math.round(status.ageSeconds * 1000) / 1000,
    },
    routes: routes.map((route) => {
      const breaker = (services.get(route.service) as ServiceBackend).breaker.snapshot();
      return {
        id: route.id,
        service: route.service,
        kind: route.kind,
        methods: [...route.methods],
        path: route.pattern.source,
        serve: flagOf(route.serveFlag),
        shadow: flagOf(route.shadowFlag),
        backend: { url: route.serviceUrl, healthy: breaker.state === "closed" },
        breaker: { state: breaker.state, failures: breaker.failures },
      };
    }),
  };
}
