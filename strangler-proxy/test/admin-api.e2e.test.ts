import { parseOpsDocument, proxyHealthReportSchema, proxyRoutingReportSchema } from "@strangler/ops-contract";
import { httpRequest } from "./support/http-request";
import { startProxyHarness, type ProxyHarness } from "./support/proxy-harness";
import { TEST_ADMIN_TOKEN } from "./support/test-config";

describe("strangler proxy: admin API", () => {
  let h: ProxyHarness;
  const authorized = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

  beforeAll(async () => {
    h = await startProxyHarness();
    h.flags.set("strangler.users-list.serve", { enabled: true, rollout: 25 });
    h.flags.set("strangler.users-list.shadow", { enabled: false, rollout: 10 });
    h.flags.remove("strangler.users-delete.serve");
    h.flags.setStatus({ source: "backup", lastSyncAt: new Date("2026-11-21T10:00:00.000Z"), ageSeconds: 42.5 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("GET /admin/routes reports exactly the routing table shape the CLI reads", async () => {
    const res = await httpRequest(h.adminUrl, { path: "/admin/routes", headers: authorized });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    // The document the CLI parses, by the same schema.
    expect(() =>
      parseOpsDocument(proxyRoutingReportSchema, res.json, {
        document: "the routing report",
        source: "GET /admin/routes",
      }),
    ).not.toThrow();
    expect(res.json.flags).toEqual({ source: "backup", lastSyncAt: "2026-11-21T10:00:00.000Z", ageSeconds: 42.5 });
    expect(res.json.routes.map((r: { id: string }) => r.id).sort()).toEqual([
      "users-create",
      "users-delete",
      "users-get",
      "users-list",
      "users-update",
    ]);
    expect(res.json.routes.find((r: { id: string }) => r.id === "users-list")).toEqual({
      id: "users-list",
      service: "users-service",
      kind: "read",
      methods: ["GET", "HEAD"],
      path: "/api/users",
      serve: { flag: "strangler.users-list.serve", enabled: true, rollout: 25 },
      shadow: { flag: "strangler.users-list.shadow", enabled: false, rollout: 10 },
      backend: { url: h.service.url, healthy: true },
      breaker: { state: "closed", failures: 0 },
    });
    expect(res.json.routes.find((r: { id: string }) => r.id === "users-delete")).toMatchObject({
      kind: "write",
      methods: ["DELETE"],
      path: "/api/users/:id",
      serve: { flag: "strangler.users-delete.serve", enabled: false, rollout: null },
    });
    expect(Object.keys(res.json)).toEqual(["flags", "routes"]);
  });

  it("GET /admin/health reports the flags and each backend's breaker", async () => {
    const res = await httpRequest(h.adminUrl, { path: "/admin/health", headers: authorized });
    expect(res.status).toBe(200);
    expect(() =>
      parseOpsDocument(proxyHealthReportSchema, res.json, {
        document: "the health report",
        source: "GET /admin/health",
      }),
    ).not.toThrow();
    expect(res.json).toEqual({
      status: "ok",
      flags: { source: "backup", lastSyncAt: "2026-11-21T10:00:00.000Z", ageSeconds: 42.5 },
      legacy: { name: "monolith", url: h.monolith.url },
      backends: [
        {
          service: "users-service",
          url: h.service.url,
          healthy: true,
          breaker: { state: "closed", failures: 0 },
          lastError: null,
          lastErrorAt: null,
        },
      ],
    });
  });

  it.each(["/admin/routes", "/admin/health", "/admin/unknown", "/admin"])(
    "%s needs the bearer token (401 without, 401 with a wrong one)",
    async (path) => {
      expect((await httpRequest(h.adminUrl, { path })).status).toBe(401);
      const wrong = await httpRequest(h.adminUrl, {
        path,
        headers: { authorization: "Bearer not-the-admin-token-at-all" },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.headers["www-authenticate"]).toMatch(/^Bearer/);
      expect(wrong.json.error.code).toBe("STRANGLER_UNAUTHORIZED");
    },
  );

  it("answers 404 and 405 in the error format", async () => {
    expect((await httpRequest(h.adminUrl, { path: "/admin/unknown", headers: authorized })).json.error.code).toBe(
      "STRANGLER_NOT_FOUND",
    );
    const post = await httpRequest(h.adminUrl, { method: "POST", path: "/admin/routes", headers: authorized });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
    expect((await httpRequest(h.adminUrl, { path: "/nothing" })).status).toBe(404);
  });

  it("serves /healthz, /readyz and /metrics without a token", async () => {
    expect((await httpRequest(h.adminUrl, { path: "/healthz" })).json).toEqual({ status: "ok" });
    expect((await httpRequest(h.adminUrl, { path: "/readyz" })).json).toEqual({ status: "ready" });
    await httpRequest(h.proxyUrl, { path: "/api/users", headers: { "x-user-id": "metrics-user" } });
    const metrics = await httpRequest(h.adminUrl, { path: "/metrics" });
    expect(metrics.status).toBe(200);
    expect(metrics.headers["content-type"]).toMatch(/^text\/plain/);
    for (const name of [
      "strangler_proxy_requests_total",
      "strangler_proxy_request_duration_seconds_bucket",
      "strangler_proxy_breaker_state",
      "strangler_proxy_flag_age_seconds",
      "process_cpu_user_seconds_total",
    ]) {
      expect(metrics.body).toContain(name);
    }
    expect(metrics.body).toMatch(/strangler_proxy_flag_age_seconds\{app="strangler-proxy"\} 42\.5/);
  });

  it("reports not ready while draining, and cuts requests still in flight after the grace period", async () => {
    const other = await startProxyHarness();
    try {
      const inFlight = httpRequest(other.proxyUrl, { path: "/api/products?_hang=1" }).then(
        (res) => res.status,
        (error: Error) => error.message,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      const closing = other.proxy.close(500);
      const ready = await httpRequest(other.adminUrl, { path: "/readyz" });
      expect(ready.status).toBe(503);
      await closing;
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await inFlight).toMatch(/socket hang up|ECONNRESET/);
    } finally {
      await other.close();
    }
  });

  it("GET /admin/diff/report and /admin/diff/examples/:id need the token, and answer 503 without a toolkit database", async () => {
    expect((await httpRequest(h.adminUrl, { path: "/admin/diff/report" })).status).toBe(401);
    for (const path of ["/admin/diff/report?since=15m", "/admin/diff/examples/ex-1"]) {
      const res = await httpRequest(h.adminUrl, { path, headers: authorized });
      expect(res.status).toBe(503);
      expect(res.json.error.code).toBe("STRANGLER_SERVICE_UNAVAILABLE");
      expect(res.json.error.message).toContain("set toolkit.database");
    }
    const bad = await httpRequest(h.adminUrl, { path: "/admin/diff/report?since=later", headers: authorized });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^since: /);
  });
});
