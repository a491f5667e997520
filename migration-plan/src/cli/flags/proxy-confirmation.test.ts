import { CliError } from "../cli-error";
import type { ProxyRoutesReport, ProxyRouteView } from "./proxy-admin-client";
import { routeShowsTarget, waitForProxy } from "./proxy-confirmation";

function view(serve: { enabled: boolean; rollout: number | null }, shadow = { enabled: true, rollout: 0 }): ProxyRouteView {
  return {
    id: "users-list",
    service: "users-service",
    kind: "read",
    methods: ["GET"],
    path: "/api/users",
    serve: { flag: "strangler.users-list.serve", ...serve },
    shadow: { flag: "strangler.users-list.shadow", ...shadow },
    backend: { url: "http://127.0.0.1:4102", healthy: true },
    breaker: { state: "closed", failures: 0 },
  };
}

function report(route: ProxyRouteView): ProxyRoutesReport {
  return { flags: { source: "unleash", lastSyncAt: "2026-11-21T00:00:00.000Z", ageSeconds: 0.4 }, routes: [route] };
}

/** A clock that only moves when the code under test sleeps. */
function fakeClock() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}

describe("routeShowsTarget", () => {
  it("needs the flag on at exactly the target", () => {
    expect(routeShowsTarget(view({ enabled: true, rollout: 50 }), { serve: 50 })).toBe(true);
    expect(routeShowsTarget(view({ enabled: false, rollout: 50 }), { serve: 50 })).toBe(false);
    expect(routeShowsTarget(view({ enabled: true, rollout: 25 }), { serve: 50 })).toBe(false);
  });

  it("accepts a flag that is off, or at 0 %, for a target of 0", () => {
    expect(routeShowsTarget(view({ enabled: false, rollout: 30 }), { serve: 0 })).toBe(true);
    expect(routeShowsTarget(view({ enabled: true, rollout: 0 }), { serve: 0 })).toBe(true);
    expect(routeShowsTarget(view({ enabled: true, rollout: 30 }), { serve: 0 })).toBe(false);
  });

  it("checks the shadow flag too when it was set", () => {
    expect(routeShowsTarget(view({ enabled: true, rollout: 50 }, { enabled: true, rollout: 0 }), { serve: 50, shadow: 10 })).toBe(false);
    expect(routeShowsTarget(view({ enabled: true, rollout: 50 }, { enabled: true, rollout: 10 }), { serve: 50, shadow: 10 })).toBe(true);
  });
});

describe("waitForProxy", () => {
  it("confirms as soon as the proxy reports the target", async () => {
    const clock = fakeClock();
    const answers = [view({ enabled: true, rollout: 0 }), view({ enabled: true, rollout: 0 }), view({ enabled: true, rollout: 50 })];
    const read = async () => report(answers.shift() ?? view({ enabled: true, rollout: 50 }));
    const result = await waitForProxy({ read, routeId: "users-list", target: { serve: 50 }, timeoutMs: 10_000, intervalMs: 200, ...clock });
    expect(result).toEqual({ confirmed: true, elapsedMs: 400 });
  });

  it("says what the proxy still reports when the time is up", async () => {
    const clock = fakeClock();
    const read = async () => report(view({ enabled: true, rollout: 0 }));
    const result = await waitForProxy({ read, routeId: "users-list", target: { serve: 50 }, timeoutMs: 1_000, intervalMs: 200, ...clock });
    expect(result).toMatchObject({ confirmed: false, elapsedMs: 1_000 });
    expect(!result.confirmed && result.reason).toMatch(/^the proxy still reports serve 0% after \d\.\d s \(its flags come from unleash, last synced 0\.4 s ago\)$/);
  });

  it("keeps trying while the proxy is unreachable, and says so at the end", async () => {
    const clock = fakeClock();
    const read = async (): Promise<ProxyRoutesReport> => {
      throw new CliError("STRANGLER_PROXY_UNREACHABLE", "the proxy is not reachable at http://127.0.0.1:4199 (ECONNREFUSED)", { retriable: true });
    };
    const result = await waitForProxy({ read, routeId: "users-list", target: { serve: 50 }, timeoutMs: 600, intervalMs: 200, ...clock });
    expect(result).toEqual({ confirmed: false, elapsedMs: 600, reason: "the proxy is not reachable at http://127.0.0.1:4199 (ECONNREFUSED)" });
  });

  it("stops at once when the proxy rejects the token", async () => {
    const clock = fakeClock();
    let calls = 0;
    const read = async (): Promise<ProxyRoutesReport> => {
      calls += 1;
      throw new CliError("STRANGLER_PROXY_AUTH_REJECTED", "the proxy at http://127.0.0.1:4199 rejected the admin token (HTTP 401)", { status: 401 });
    };
    const result = await waitForProxy({ read, routeId: "users-list", target: { serve: 50 }, timeoutMs: 10_000, ...clock });
    expect(result).toMatchObject({ confirmed: false, elapsedMs: 0 });
    expect(calls).toBe(1);
  });

  it("names a route the proxy does not know", async () => {
    const clock = fakeClock();
    const read = async () => ({ ...report(view({ enabled: true, rollout: 50 })), routes: [] });
    const result = await waitForProxy({ read, routeId: "users-list", target: { serve: 50 }, timeoutMs: 200, ...clock });
    expect(!result.confirmed && result.reason).toContain("the proxy has no route users-list");
  });
});
