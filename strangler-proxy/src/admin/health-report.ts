import type { ProxyHealthReport } from "@strangler/ops-contract";
import type { Upstream } from "../forwarding/upstream";
import type { ServiceBackend } from "../proxy-context";
import type { RoutingReport } from "./routing-report";

/** The JSON of GET /admin/health: the operations contract's health report. */
export type ProxyHealth = ProxyHealthReport;

/** The proxy's health: degraded while any service's breaker is not closed. */
export function healthReport(
  monolith: Upstream,
  services: ReadonlyMap<string, ServiceBackend>,
  flags: RoutingReport["flags"],
): ProxyHealth {
  const backends = [...services.values()].map(({ upstream, breaker }) => {
    const snapshot = breaker.snapshot();
    return {
      service: upstream.name,
      url: upstream.url,
      healthy: snapshot.state === "closed",
      breaker: { state: snapshot.state, failures: snapshot.failures },
      lastError: snapshot.lastError,
      lastErrorAt: snapshot.lastErrorAt?.toISOString() ?? null,
    };
  });
  return {
    status: backends.every((b) => b.healthy) ? "ok" : "degraded",
    flags,
    legacy: { name: monolith.name, url: monolith.url },
    backends,
  };
}
