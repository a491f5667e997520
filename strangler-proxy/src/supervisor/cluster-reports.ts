import type { ProxyHealth } from "../admin/health-report";
import type { RoutingReport } from "../admin/routing-report";

type Flags = RoutingReport["flags"];
type BreakerState = RoutingReport["routes"][number]["breaker"]["state"];

const SOURCE_RANK: Record<Flags["source"], number> = { none: 0, backup: 1, unleash: 2 };
const BREAKER_RANK: Record<BreakerState, number> = { closed: 0, "half-open": 1, open: 2 };

/** How fresh a worker's flags are: by source (none < backup < unleash), then by last sync. */
function freshness(flags: Flags): [number, number] {
  return [SOURCE_RANK[flags.source], flags.lastSyncAt === null ? -Infinity : Date.parse(flags.lastSyncAt)];
}

/** The index of the worker whose flags are the stalest. */
function stalest(flags: readonly Flags[]): number {
  let index = 0;
  for (let i = 1; i < flags.length; i++) {
    const [rank, at] = freshness(flags[i] as Flags);
    const [bestRank, bestAt] = freshness(flags[index] as Flags);
    if (rank < bestRank || (rank === bestRank && at < bestAt)) index = i;
  }
  return index;
}

function worse<T extends { state: BreakerState; failures: number }>(a: T, b: T): T {
  if (BREAKER_RANK[b.state] !== BREAKER_RANK[a.state]) return BREAKER_RANK[b.state] > BREAKER_RANK[a.state] ? b : a;
  return b.failures > a.failures ? b : a;
}

/**
 * One routing report for all workers. Flags: the view of the worker whose flags are the stalest, so
 * a flag change counts as confirmed only once every worker has it (what `strangler flags set` waits
 * for). Breakers (one per worker): the worst; a backend is healthy only where it is on every worker.
 */
export function aggregateRoutingReports(reports: readonly RoutingReport[]): RoutingReport {
  const base = reports[stalest(reports.map((r) => r.flags))] as RoutingReport;
  return {
    flags: base.flags,
    routes: base.routes.map((route) => {
      const peers = reports
        .map((report) => report.routes.find((r) => r.id === route.id))
        .filter((r) => r !== undefined);
      return {
        ...route,
        backend: { url: route.backend.url, healthy: peers.every((r) => r.backend.healthy) },
        breaker: peers.map((r) => r.breaker).reduce(worse, route.breaker),
      };
    }),
  };
}

/** One health report for all workers: degraded if any worker is; per backend the worst breaker and the latest error. */
export function aggregateHealth(healths: readonly ProxyHealth[]): ProxyHealth {
  const base = healths[stalest(healths.map((h) => h.flags))] as ProxyHealth;
  const backends = base.backends.map((backend) => {
    const peers = healths
      .map((health) => health.backends.find((b) => b.service === backend.service))
      .filter((b) => b !== undefined);
    const latest = peers.reduce((a, b) => ((b.lastErrorAt ?? "") > (a.lastErrorAt ?? "") ? b : a), backend);
    return {
      ...backend,
      healthy: peers.every((b) => b.healthy),
      breaker: peers.map((b) => b.breaker).reduce(worse, backend.breaker),
      lastError: latest.lastError,
      lastErrorAt: latest.lastErrorAt,
    };
  });
  return { ...base, status: healths.some((h) => h.status !== "ok") ? "degraded" : "ok", backends };
}
