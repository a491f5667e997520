import { CliError } from "../cli-error";
import type { ProxyRoutesReport, ProxyRouteView } from "./proxy-admin-client";
import { routeShowsTarget, waitForProxy } from "./proxy-confirmation";

function view(
  serve: { enabled: boolean; rollout: number | null },
  shadow = { enabled: true, rollout: 0 },
  id = "users-list",
): ProxyRouteView {
  return {
    id,
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

function report(...routes: ProxyRouteView[]): ProxyRoutesReport {
  return { flags: { source: "unleash", lastSyncAt: "2026-11-21T00:00:00.000Z", ageSeconds: 0.4 }, routes };
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
    expect(
      routeShowsTarget(view({ enabled: true, rollout: 50 }, { enabled: true, rollout: 0 }), { serve: 50, shadow: 10 }),
    ).toBe(false);
    expect(
      routeShowsTarget(view({ enabled: true, rollout: 50 }, { enabled: true, rollout: 10 }), { serve: 50, shadow: 10 }),
    ).toBe(true);
  });
});

describe("waitForProxy", () => {
  it("confirms as soon as the proxy reports the target", async () => {
    const clock = fakeClock();
    const answers = [
      view({ enabled: true, rollout: 0 }),
      view({ enabled: true, rollout: 0 }),
      view({ enabled: true, rollout: 50 }),
    ];
    const read = async () => report(answers.shift() ?? view({ enabled: true, rollout: 50 }));
    const result = await waitForProxy({
      read,
      routeIds: ["users-list"],
      target: { serve: 50 },
      timeoutMs: 10_000,
      intervalMs: 200,
      ...clock,
    });
    expect(result).toMatchObject({
      confirmed: true,
      elapsedMs: 400,
      confirmedMs: new Map([["users-list", 400]]),
      pending: new Map(),
    });
  });

  it("says what the proxy still reports when the time is up", async () => {
    const clock = fakeClock();
    const read = async () => report(view({ enabled: true, rollout: 0 }));
    const result = await waitForProxy({
      read,
      routeIds: ["users-list"],
      target: { serve: 50 },
      timeoutMs: 1_000,
      intervalMs: 200,
      ...clock,
    });
    expect(result).toMatchObject({ confirmed: false, elapsedMs: 1_000 });
    expect(result.pending.get("users-list")).toMatch(
      /^the proxy still reports serve 0% after \d\.\d s \(its flags come from unleash, last synced 0\.4 s ago\)$/,
    );
  });

  it("keeps trying while the proxy is unreachable, and says so at the end", async () => {
    const clock = fakeClock();
    const read = async (): Promise<ProxyRoutesReport> => {
      throw new CliError(
        "STRANGLER_PROXY_UNREACHABLE",
        "the proxy is not reachable at http://127.0.0.1:4199 (ECONNREFUSED)",
        { retriable: true },
      );
    };
    const result = await waitForProxy({
      read,
      routeIds: ["users-list"],
      target: { serve: 50 },
      timeoutMs: 600,
      intervalMs: 200,
      ...clock,
    });
    expect(result).toMatchObject({
      confirmed: false,
      elapsedMs: 600,
      pending: new Map([["users-list", "the proxy is not reachable at http://127.0.0.1:4199 (ECONNREFUSED)"]]),
    });
  });

  it("stops at once when the proxy rejects the token", async () => {
    const clock = fakeClock();
    let calls = 0;
    const read = async (): Promise<ProxyRoutesReport> => {
      calls += 1;
      throw new CliError(
        "STRANGLER_PROXY_AUTH_REJECTED",
        "the proxy at http://127.0.0.1:4199 rejected the admin token (HTTP 401)",
        { status: 401 },
      );
    };
    const result = await waitForProxy({
      read,
      routeIds: ["users-list"],
      target: { serve: 50 },
      timeoutMs: 10_000,
      ...clock,
    });
    expect(result).toMatchObject({ confirmed: false, elapsedMs: 0 });
    expect(calls).toBe(1);
  });

  it("names a route the proxy does not know", async () => {
    const clock = fakeClock();
    const read = async () => ({ ...report(view({ enabled: true, rollout: 50 })), routes: [] });
    const result = await waitForProxy({
      read,
      routeIds: ["users-list"],
      target: { serve: 50 },
      timeoutMs: 200,
      ...clock,
    });
    expect(result.pending.get("users-list")).toContain("the proxy has no route users-list");
  });

  it("waits for every route, noting when each showed the target, and names the ones still behind", async () => {
    const clock = fakeClock();
    const answers = [
      report(view({ enabled: true, rollout: 50 }), view({ enabled: true, rollout: 0 }, undefined, "users-get")),
      report(view({ enabled: true, rollout: 50 }), view({ enabled: true, rollout: 50 }, undefined, "users-get")),
    ];
    const read = async () =>
      answers.shift() ??
      report(view({ enabled: true, rollout: 50 }), view({ enabled: true, rollout: 50 }, undefined, "users-get"));
    const result = await waitForProxy({
      read,
      routeIds: ["users-list", "users-get"],
      target: { serve: 50 },
      timeoutMs: 10_000,
      intervalMs: 200,
      ...clock,
    });
    expect(result).toMatchObject({
      confirmed: true,
      confirmedMs: new Map([
        ["users-list", 0],
        ["users-get", 200],
      ]),
    });

    const stuck = await waitForProxy({
      read: async () =>
        report(view({ enabled: true, rollout: 50 }), view({ enabled: true, rollout: 0 }, undefined, "users-get")),
      routeIds: ["users-list", "users-get"],
      target: { serve: 50 },
      timeoutMs: 400,
      intervalMs: 200,
      ...fakeClock(),
    });
    expect(stuck.confirmed).toBe(false);
    expect([...stuck.confirmedMs.keys()]).toEqual(["users-list"]);
    expect(stuck.pending.get("users-get")).toMatch(/^the proxy still reports serve 0%/);
  });
});
