import { httpRequest, sendRaw } from "./support/http-request";
import { metricValue } from "./support/metrics-text";
import { startProxyHarness, type ProxyHarness } from "./support/proxy-harness";

// A write without a body is still a write: when the service fails it, it must not be replayed on
// the monolith (the service may already have applied it). Every write in the other proxy tests
// carries a body, which is refused a replay for another reason (a streamed body cannot be sent
// twice); these requests have none, so only the method keeps them off the monolith.
// Fixture upstreams with breaker threshold 3, openMs 1000, responseMs 1500 (see test-config.ts).
const BODYLESS_WRITES = [
  { what: "a DELETE without a body", method: "DELETE", path: "/api/users/5", headers: {}, route: "users-delete" },
  {
    what: "a POST with Content-Length: 0",
    method: "POST",
    path: "/api/users",
    headers: { "content-length": "0" },
    route: "users-create",
  },
];

describe.each(BODYLESS_WRITES)(
  "strangler proxy: $what that fails on the service",
  ({ method, path, headers, route }) => {
    let h: ProxyHarness;
    const send = (query = "", extra: Record<string, string> = {}) =>
      httpRequest(h.proxyUrl, { method, path: `${path}${query}`, headers: { ...headers, ...extra } });
    const fallbacks = async () => (await metricValue(h.adminUrl, "strangler_proxy_fallbacks_total", { route })) ?? 0;

    beforeEach(async () => {
      h = await startProxyHarness();
    });
    afterEach(async () => {
      await h?.close();
    });

    it("gets the service's own 500, and the monolith never sees it", async () => {
      const res = await send("?_status=500&_only=users-service");
      expect(res.status).toBe(500);
      expect(res.json).toMatchObject({ upstream: "users-service", method });
      expect(res.headers["x-strangler-backend"]).toBe("users-service");
      expect(res.headers["x-strangler-fallback"]).toBeUndefined();
      expect(h.service.received).toHaveLength(1);
      expect(h.monolith.received).toHaveLength(0);
      expect(await fallbacks()).toBe(0);
    });

    it("gets 504 STRANGLER_GATEWAY_TIMEOUT when the service does not answer in time, and the monolith never sees it", async () => {
      const res = await send("?_delay=3000&_only=users-service", { "x-request-id": "bodyless-timeout" });
      expect(res.status).toBe(504);
      expect(res.json.error).toMatchObject({
        code: "STRANGLER_GATEWAY_TIMEOUT",
        details: { route, backend: "users-service", reason: "timeout", requestId: "bodyless-timeout" },
      });
      expect(res.json.error.message).toMatch(/never replayed/);
      expect(h.monolith.received).toHaveLength(0);
      expect(await fallbacks()).toBe(0);
    });

    it("gets 502 STRANGLER_BAD_GATEWAY when the service cannot be reached, and the monolith never sees it", async () => {
      await h.service.close();
      const res = await send();
      expect(res.status).toBe(502);
      expect(res.json.error).toMatchObject({
        code: "STRANGLER_BAD_GATEWAY",
        details: { route, backend: "users-service", reason: "connect" },
      });
      expect(res.json.error.message).toMatch(/never replayed/);
      expect(h.monolith.received).toHaveLength(0);
      expect(await fallbacks()).toBe(0);
    });

    it("gets 503 STRANGLER_SERVICE_UNAVAILABLE while the breaker is open, and the monolith never sees it", async () => {
      await h.service.close();
      for (let i = 0; i < 3; i++)
        expect((await httpRequest(h.proxyUrl, { path: "/api/users" })).headers["x-strangler-fallback"]).toBe("1");
      const res = await send();
      expect(res.status).toBe(503);
      expect(res.json.error.code).toBe("STRANGLER_SERVICE_UNAVAILABLE");
      expect(h.monolith.received.map((r) => r.method)).toEqual(["GET", "GET", "GET"]);
      expect(await fallbacks()).toBe(0);
    });
  },
);

describe("strangler proxy: a POST with no framing header at all that fails on the service", () => {
  let h: ProxyHarness;
  beforeEach(async () => {
    h = await startProxyHarness();
  });
  afterEach(async () => {
    await h?.close();
  });

  it("gets the service's own 500, and the monolith never sees it", async () => {
    // Neither Content-Length nor Transfer-Encoding: a request without a body (RFC 9112 §6.3).
    const raw = await sendRaw(
      h.proxyUrl,
      "POST /api/users?_status=500&_only=users-service HTTP/1.1\r\nHost: proxy\r\nConnection: close\r\n\r\n",
    );
    expect(raw).toMatch(/^HTTP\/1\.1 500 /);
    expect(raw).toMatch(/x-strangler-backend: users-service/i);
    expect(h.service.received).toHaveLength(1);
    expect(h.monolith.received).toHaveLength(0);
  });
});
