import { httpRequest, sendRaw } from "./support/http-request";
import { startProxyHarness, type ProxyHarness } from "./support/proxy-harness";
import { TEST_ADMIN_TOKEN } from "./support/test-config";

// Each attack is either rejected (and reaches no upstream) or handled so that it cannot change
// which backend serves the request or what the backend sees.
describe("strangler proxy: attack suite", () => {
  let h: ProxyHarness;
  const received = () => h.monolith.received.length + h.service.received.length;

  beforeAll(async () => {
    h = await startProxyHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  describe("paths that could change which route matches are rejected with 400 and reach no upstream", () => {
    it.each([
      ["/api/users/..%2f..%2fadmin", /encoded slash/],
      ["/api/users%2F1", /encoded slash/],
      ["/api//users", /empty path segment/],
      ["/api/./users", /dot segment/],
      ["/api/users/%2e%2e/%2e%2e/admin", /dot segment/],
      ["/api/users/%00", /encoded control character \(%00\)/],
      ["/api/users%5c1", /encoded backslash/],
      ["/api/users/1%0d%0aX-Injected:%201", /encoded control character/],
    ])("%s", async (path, reason) => {
      const before = received();
      const res = await httpRequest(h.proxyUrl, { path });
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: "STRANGLER_BAD_PATH", message: expect.stringMatching(reason) });
      expect(res.json.error.details.requestId).toBe(res.headers["x-request-id"]);
      expect(received()).toBe(before);
    });

    it("a raw NUL byte in the path (rejected by the HTTP parser)", async () => {
      const before = received();
      const answer = await sendRaw(h.proxyUrl, "GET /api/users\u0000/admin HTTP/1.1\r\nHost: x\r\n\r\n");
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain('"code":"STRANGLER_BAD_REQUEST"');
      expect(received()).toBe(before);
    });

    it("an absolute-form target", async () => {
      const answer = await sendRaw(
        h.proxyUrl,
        "GET http://evil.example/api/users HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      );
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain("absolute-form");
    });
  });

  it("/api/usersX is not the /api/users route: it goes to the monolith, not the service", async () => {
    const before = h.service.received.length;
    const res = await httpRequest(h.proxyUrl, { path: "/api/usersX" });
    expect(res.status).toBe(200);
    expect(res.json.upstream).toBe("monolith");
    expect(res.headers["x-strangler-backend"]).toBe("monolith");
    expect(res.headers["x-strangler-route"]).toBe("-");
    expect(h.service.received.length).toBe(before);
  });

  it("an overlong URL gets 414", async () => {
    const res = await httpRequest(h.proxyUrl, { path: `/api/users?q=${"a".repeat(9000)}` });
    expect(res.status).toBe(414);
    expect(res.json.error.code).toBe("STRANGLER_URL_TOO_LONG");
  });

  it("oversized headers get 431", async () => {
    const before = received();
    const answer = await sendRaw(
      h.proxyUrl,
      `GET /api/users HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toContain('"code":"STRANGLER_HEADERS_TOO_LARGE"');
    expect(received()).toBe(before);
  });

  it("a spoofed X-Forwarded-For (and -Host, -Proto, Forwarded) is replaced by what the proxy saw", async () => {
    const res = await httpRequest(h.proxyUrl, {
      path: "/api/users",
      headers: {
        "x-forwarded-for": "6.6.6.6",
        "x-forwarded-proto": "https",
        "x-forwarded-host": "evil.example",
        forwarded: "for=6.6.6.6",
      },
    });
    const seen = res.json.headers;
    expect(seen["x-forwarded-for"]).toBe("127.0.0.1");
    expect(seen["x-forwarded-proto"]).toBe("http");
    expect(seen["x-forwarded-host"]).toBe(new URL(h.proxyUrl).host);
    expect(seen.forwarded).toBeUndefined();
  });

  it("Connection: x-strangler-route strips that header hop-by-hop, and the route header comes from the proxy only", async () => {
    const res = await httpRequest(h.proxyUrl, {
      path: "/api/users",
      headers: {
        connection: "x-strangler-route",
        "x-strangler-route": "users-delete",
        "x-strangler-backend": "monolith",
      },
    });
    expect(res.json.headers["x-strangler-route"]).toBeUndefined();
    expect(res.json.headers["x-strangler-backend"]).toBeUndefined();
    expect(res.json.headers.connection).not.toMatch(/x-strangler-route/i);
    // The fixture upstream answers x-strangler-route: spoofed; the client sees the proxy's value.
    expect(res.headers["x-strangler-route"]).toBe("users-list");
  });

  it("Connection: content-length cannot strip the body's framing (no body left to be read as a second request)", async () => {
    const res = await httpRequest(h.proxyUrl, {
      method: "POST",
      path: "/api/users",
      headers: { connection: "content-length", "content-type": "application/json" },
      body: '{"a":1}',
    });
    expect(res.status).toBe(200);
    expect(res.json.headers["content-length"]).toBe("7");
    expect(res.json.body).toBe('{"a":1}');
  });

  it("a bare CR inside a header value is rejected by the parser and reaches no upstream", async () => {
    const before = received();
    const answer = await sendRaw(h.proxyUrl, "GET /api/users HTTP/1.1\r\nHost: x\r\nX-Note: a\rX-Injected: 1\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"code":"STRANGLER_BAD_REQUEST"');
    expect(received()).toBe(before);
  });

  it("a bare LF inside a header value is rejected too", async () => {
    const before = received();
    const answer = await sendRaw(h.proxyUrl, "GET /api/users HTTP/1.1\r\nHost: x\r\nX-Note: a\nX-Injected: 1\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(received()).toBe(before);
  });

  it("Content-Length together with Transfer-Encoding is rejected, the connection closed, and the smuggled request never runs", async () => {
    const before = received();
    const smuggled = "GET /api/users/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    const answer = await sendRaw(
      h.proxyUrl,
      `POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(answer).toMatch(/connection: close/i);
    expect(received()).toBe(before);
  });

  it("two Content-Length headers are rejected", async () => {
    const answer = await sendRaw(
      h.proxyUrl,
      "POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  });

  it("a transfer coding other than chunked is refused with 501 and the connection closed", async () => {
    const before = received();
    const answer = await sendRaw(
      h.proxyUrl,
      "POST /api/users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    );
    expect(answer).toMatch(/^HTTP\/1\.1 501 /);
    expect(answer).toContain('"code":"STRANGLER_UNSUPPORTED_TRANSFER_CODING"');
    expect(answer).toMatch(/connection: close/i);
    expect(received()).toBe(before);
  });

  it("two Host headers are rejected", async () => {
    const answer = await sendRaw(h.proxyUrl, "GET /api/users HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain("more than one Host header");
  });

  it("the admin API answers 401 without a token and with a wrong one", async () => {
    for (const headers of [
      {},
      { authorization: "Bearer wrong-token-wrong-token" },
      { authorization: `Basic ${TEST_ADMIN_TOKEN}` },
      { authorization: `Bearer ${TEST_ADMIN_TOKEN}x` },
    ]) {
      const res = await httpRequest(h.adminUrl, { path: "/admin/routes", headers });
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe("STRANGLER_UNAUTHORIZED");
    }
    expect(
      (
        await httpRequest(h.adminUrl, {
          path: "/admin/routes",
          headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        })
      ).status,
    ).toBe(200);
  });
});
