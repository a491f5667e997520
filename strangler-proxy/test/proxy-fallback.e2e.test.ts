import { httpRequest } from "./support/http-request";
import { metricValue } from "./support/metrics-text";
import { startProxyHarness, type ProxyHarness } from "./support/proxy-harness";
import { TEST_ADMIN_TOKEN } from "./support/test-config";

// Fixture upstreams with breaker threshold 3, openMs 1000, responseMs 1500 (see test-config.ts).
describe("strangler proxy: fallback and circuit breaker", () => {
  let h: ProxyHarness;
  const admin = (path: string) =>
    httpRequest(h.adminUrl, { path, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
  const breakerOf = async () =>
    (await admin("/admin/routes")).json.routes.find((r: { id: string }) => r.id === "users-list").breaker;

  beforeEach(async () => {
    h = await startProxyHarness();
  });
  afterEach(async () => {
    await h?.close();
  });

  it("answers a GET from the monolith when the service answers 5xx, and says so", async () => {
    const res = await httpRequest(h.proxyUrl, { path: "/api/users?_status=503&_only=users-service" });
    expect(res.status).toBe(200);
    expect(res.json.upstream).toBe("monolith");
    expect(res.headers).toMatchObject({
      "x-strangler-fallback": "1",
      "x-strangler-backend": "monolith",
      "x-strangler-route": "users-list",
    });
    expect(h.service.received).toHaveLength(1);
    expect(
      await metricValue(h.adminUrl, "strangler_proxy_fallbacks_total", { route: "users-list", reason: "status_5xx" }),
    ).toBe(1);
  });

  it("falls back to the monolith when the new service times out", async () => {
    const res = await httpRequest(h.proxyUrl, { path: "/api/users/5?_delay=3000&_only=users-service" });
    expect(res.status).toBe(200);
    expect(res.json.upstream).toBe("monolith");
    expect(
      await metricValue(h.adminUrl, "strangler_proxy_fallbacks_total", { route: "users-get", reason: "timeout" }),
    ).toBe(1);
  });

  it("never replays a write: a POST the service answers 500 gets that 500, and the monolith sees nothing", async () => {
    const res = await httpRequest(h.proxyUrl, {
      method: "POST",
      path: "/api/users?_status=500&_only=users-service",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(500);
    expect(res.json.upstream).toBe("users-service");
    expect(h.monolith.received).toHaveLength(0);
  });

  it("answers a write that timed out on the service with 504 and the error JSON, without replaying it", async () => {
    const res = await httpRequest(h.proxyUrl, {
      method: "PATCH",
      path: "/api/users/5?_delay=3000&_only=users-service",
      body: "{}",
      headers: { "content-type": "application/json", "x-request-id": "write-timeout-1" },
    });
    expect(res.status).toBe(504);
    expect(res.json.error).toMatchObject({
      code: "STRANGLER_GATEWAY_TIMEOUT",
      details: { route: "users-update", backend: "users-service", reason: "timeout", requestId: "write-timeout-1" },
    });
    expect(res.headers["x-request-id"]).toBe("write-timeout-1");
    expect(h.monolith.received).toHaveLength(0);
  });

  it("does not retry a GET that carries a body (it cannot be sent twice)", async () => {
    await h.service.close();
    const res = await httpRequest(h.proxyUrl, {
      path: "/api/users",
      body: "payload",
      headers: { "content-type": "text/plain", "content-length": "7" },
    });
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe("STRANGLER_BAD_GATEWAY");
    expect(res.json.error.message).toMatch(/never replayed/);
    expect(h.monolith.received).toHaveLength(0);
  });

  it("opens the breaker after consecutive failures, sends reads around it and refuses writes, and half-opens after openMs", async () => {
    await h.service.close();
    for (let i = 0; i < 3; i++)
      expect((await httpRequest(h.proxyUrl, { path: "/api/users" })).headers["x-strangler-fallback"]).toBe("1");
    expect(await breakerOf()).toEqual({ state: "open", failures: 3 });
    expect(await metricValue(h.adminUrl, "strangler_proxy_breaker_state", { service: "users-service" })).toBe(2);

    // Open: reads go straight to the monolith, writes get 503.
    const read = await httpRequest(h.proxyUrl, { path: "/api/users" });
    expect(read.headers["x-strangler-fallback"]).toBe("1");
    expect(
      await metricValue(h.adminUrl, "strangler_proxy_fallbacks_total", { route: "users-list", reason: "breaker_open" }),
    ).toBe(1);
    const write = await httpRequest(h.proxyUrl, {
      method: "POST",
      path: "/api/users",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(write.status).toBe(503);
    expect(write.json.error.code).toBe("STRANGLER_SERVICE_UNAVAILABLE");

    // After openMs the breaker is half-open; the service is back; the probe closes it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await breakerOf()).state).toBe("half-open");
    expect(await metricValue(h.adminUrl, "strangler_proxy_breaker_state", { service: "users-service" })).toBe(1);
    const health = (await admin("/admin/health")).json;
    expect(health).toMatchObject({
      status: "degraded",
      backends: [{ service: "users-service", healthy: false, lastError: expect.stringMatching(/^connect: /) }],
    });
  });

  it("closes the breaker again when the probe succeeds", async () => {
    h.flags.set("strangler.users-list.serve", { enabled: true, rollout: 100 });
    for (let i = 0; i < 3; i++) await httpRequest(h.proxyUrl, { path: "/api/users?_status=500&_only=users-service" });
    expect((await breakerOf()).state).toBe("open");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const probe = await httpRequest(h.proxyUrl, { path: "/api/users" });
    expect(probe.json.upstream).toBe("users-service");
    expect(await breakerOf()).toEqual({ state: "closed", failures: 0 });
  });
});
