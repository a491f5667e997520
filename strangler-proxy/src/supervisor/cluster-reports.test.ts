import type { ProxyHealth } from "../admin/health-report";
import type { RoutingReport } from "../admin/routing-report";
import { aggregateHealth, aggregateRoutingReports } from "./cluster-reports";

type Route = RoutingReport["routes"][number];

function report(
  flags: RoutingReport["flags"],
  rollout: number,
  breaker: Route["breaker"] = { state: "closed", failures: 0 },
): RoutingReport {
  return {
    flags,
    routes: [
      {
        id: "users-list",
        service: "users-service",
        kind: "read",
        methods: ["GET", "HEAD"],
        path: "/api/users",
        serve: { flag: "strangler.users-list.serve", enabled: true, rollout },
        shadow: { flag: "strangler.users-list.shadow", enabled: false, rollout: 0 },
        backend: { url: "http://127.0.0.1:4102", healthy: breaker.state === "closed" },
        breaker,
      },
    ],
  };
}
const synced = (at: string): RoutingReport["flags"] => ({ source: "unleash", lastSyncAt: at, ageSeconds: 0.1 });

describe("cluster reports", () => {
  it("reports the flags of the worker that synced last longest ago, so a change is confirmed only once every worker has it", () => {
    const merged = aggregateRoutingReports([
      report(synced("2026-11-21T10:00:02.000Z"), 50),
      report(synced("2026-11-21T10:00:01.000Z"), 10),
    ]);
    expect(merged.flags.lastSyncAt).toBe("2026-11-21T10:00:01.000Z");
    expect(merged.routes[0]?.serve.rollout).toBe(10);
  });

  it("ranks a worker without flags, then one on its backup file, as staler than one synced with Unleash", () => {
    const none = { source: "none", lastSyncAt: null, ageSeconds: null } as const;
    const backup = { source: "backup", lastSyncAt: "2026-11-21T10:00:05.000Z", ageSeconds: 1 } as const;
    expect(
      aggregateRoutingReports([report(synced("2026-11-21T09:00:00.000Z"), 50), report(backup, 20)]).flags.source,
    ).toBe("backup");
    expect(aggregateRoutingReports([report(backup, 20), report(none, 0)]).flags.source).toBe("none");
  });

  it("reports the worst breaker of a route across workers", () => {
    const merged = aggregateRoutingReports([
      report(synced("2026-11-21T10:00:00.000Z"), 50, { state: "closed", failures: 1 }),
      report(synced("2026-11-21T10:00:00.000Z"), 50, { state: "open", failures: 5 }),
    ]);
    expect(merged.routes[0]).toMatchObject({ breaker: { state: "open", failures: 5 }, backend: { healthy: false } });
  });

  it("reports health degraded when one worker is, with the latest error", () => {
    const health = (failures: number, lastErrorAt: string | null): ProxyHealth => ({
      status: failures >= 5 ? "degraded" : "ok",
      flags: synced("2026-11-21T10:00:00.000Z"),
      legacy: { name: "monolith", url: "http://127.0.0.1:4101" },
      backends: [
        {
          service: "users-service",
          url: "http://127.0.0.1:4102",
          healthy: failures < 5,
          breaker: { state: failures >= 5 ? "open" : "closed", failures },
          lastError: lastErrorAt ? `error at ${lastErrorAt}` : null,
          lastErrorAt,
        },
      ],
    });
    const merged = aggregateHealth([
      health(5, "2026-11-21T10:00:00.000Z"),
      health(1, "2026-11-21T10:00:03.000Z"),
      health(0, null),
    ]);
    expect(merged.status).toBe("degraded");
    expect(merged.backends).toEqual([
      {
        service: "users-service",
        url: "http://127.0.0.1:4102",
        healthy: false,
        breaker: { state: "open", failures: 5 },
        lastError: "error at 2026-11-21T10:00:03.000Z",
        lastErrorAt: "2026-11-21T10:00:03.000Z",
      },
    ]);
  });
});
