import http from "node:http";
import { createFakeFlagSource } from "../src/flags/fake-flag-source";
import { httpRequest } from "./support/http-request";
import { ALL_ROUTES_ON, startProxyHarness, type ProxyHarness } from "./support/proxy-harness";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("strangler proxy: forwarding", () => {
  let h: ProxyHarness;

  beforeAll(async () => {
    h = await startProxyHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("forwards method, normalised path, untouched query and end-to-end headers, and sets Host to the upstream", async () => {
    const res = await httpRequest(h.proxyUrl, {
      path: "/api/%75sers/42/?fields=a%2Cb&x=%2F",
      headers: { accept: "application/json", "x-custom": "1", cookie: "uid=7" },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      upstream: "users-service",
      method: "GET",
      url: "/api/users/42?fields=a%2Cb&x=%2F",
    });
    expect(res.json.headers).toMatchObject({
      accept: "application/json",
      "x-custom": "1",
      cookie: "uid=7",
      host: new URL(h.service.url).host,
    });
  });

  it("streams a large answer to a slow reader completely and unchanged", async () => {
    const size = 8 * 1024 * 1024;
    const received = await new Promise<Buffer>((resolve, reject) => {
      http
        .get(`${h.proxyUrl}/api/users?_size=${size}`, { agent: false }, (res) => {
          const chunks: Buffer[] = [];
          // Read in bursts with pauses: the proxy must hold the upstream back meanwhile, not buffer it all.
          res.on("data", (chunk: Buffer) => {
            chunks.push(chunk);
            res.pause();
            setTimeout(() => res.resume(), 1);
          });
          res.on("end", () => resolve(Buffer.concat(chunks)));
          res.on("error", reject);
        })
        .on("error", reject);
    });
    expect(received.length).toBe(size);
    expect(received.subarray(0, 20).toString()).toBe("01234567890123456789");
    const pattern = Buffer.from("0123456789".repeat(6554).slice(0, 65_536));
    const mismatched = Array.from({ length: size / 65_536 }, (_, i) => i).filter(
      (i) => !received.subarray(i * 65_536, (i + 1) * 65_536).equals(pattern),
    );
    expect(mismatched).toEqual([]);
  });

  it("streams a request body unchanged, with its Content-Length", async () => {
    const body = JSON.stringify({ email: "a@example.com", name: "Ä ß 🙂" });
    const res = await httpRequest(h.proxyUrl, {
      method: "POST",
      path: "/api/users",
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      body,
    });
    expect(res.json).toMatchObject({ upstream: "users-service", method: "POST", body });
    expect(res.json.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
  });

  it("streams a chunked request body chunked", async () => {
    const res = await new Promise<{ body: string; te: string | undefined }>((resolve, reject) => {
      const req = http.request(`${h.proxyUrl}/api/users/7`, { method: "PATCH", agent: false }, (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => {
          const json = JSON.parse(text) as { body: string; headers: Record<string, string> };
          resolve({ body: json.body, te: json.headers["transfer-encoding"] });
        });
      });
      req.on("error", reject);
      req.write('{"name":');
      setTimeout(() => req.end('"Chunked"}'), 20);
    });
    expect(res).toEqual({ body: '{"name":"Chunked"}', te: "chunked" });
  });

  it("adds x-request-id when absent and uses the same id upstream and in the response", async () => {
    const res = await httpRequest(h.proxyUrl, { path: "/api/users" });
    expect(res.headers["x-request-id"]).toMatch(UUID);
    expect(res.json.headers["x-request-id"]).toBe(res.headers["x-request-id"]);
  });

  it("propagates a sane x-request-id and replaces one that is not", async () => {
    const sane = await httpRequest(h.proxyUrl, { path: "/api/users", headers: { "x-request-id": "abc-123.x:y_z" } });
    expect(sane.headers["x-request-id"]).toBe("abc-123.x:y_z");
    expect(sane.json.headers["x-request-id"]).toBe("abc-123.x:y_z");
    const insane = await httpRequest(h.proxyUrl, {
      path: "/api/users",
      headers: { "x-request-id": "no spaces <allowed>" },
    });
    expect(insane.headers["x-request-id"]).toMatch(UUID);
    expect(insane.json.headers["x-request-id"]).toBe(insane.headers["x-request-id"]);
  });

  it("says which route and backend served a response, replacing what the upstream claims", async () => {
    const res = await httpRequest(h.proxyUrl, { path: "/api/users/9" });
    expect(res.headers).toMatchObject({
      "x-strangler-route": "users-get",
      "x-strangler-backend": "users-service",
      "x-upstream": "users-service",
    });
    expect(res.headers["x-request-id"]).not.toBe("upstream-id");
    const legacy = await httpRequest(h.proxyUrl, { path: "/api/products" });
    expect(legacy.headers).toMatchObject({ "x-strangler-route": "-", "x-strangler-backend": "monolith" });
  });

  it("strips hop-by-hop headers and the headers named in Connection from upstream responses", async () => {
    const res = await httpRequest(h.proxyUrl, { path: "/api/users?_connection=1" });
    expect(res.status).toBe(200);
    expect(res.headers["x-upstream-secret"]).toBeUndefined();
  });

  it("answers HEAD from the route's backend", async () => {
    const res = await httpRequest(h.proxyUrl, { method: "HEAD", path: "/api/users" });
    expect(res.status).toBe(200);
    expect(res.headers["x-strangler-backend"]).toBe("users-service");
    expect(res.body).toBe("");
  });

  it("routes a mixed-case path like its route (Express matches paths case-insensitively)", async () => {
    const res = await httpRequest(h.proxyUrl, { path: "/API/Users" });
    expect(res.headers["x-strangler-route"]).toBe("users-list");
    expect(res.json.url).toBe("/API/Users");
  });

  it("cuts the client's connection when the upstream breaks mid-body, so a truncated body is never taken as complete", async () => {
    await expect(httpRequest(h.proxyUrl, { path: "/api/users?_abort=1" })).rejects.toThrow(
      /aborted|socket hang up|ECONNRESET/,
    );
  });

  it("keeps a route on the monolith while its serve flag is off or unknown", async () => {
    h.flags.set("strangler.users-list.serve", { enabled: false, rollout: 100 });
    const off = await httpRequest(h.proxyUrl, { path: "/api/users" });
    expect(off.headers).toMatchObject({ "x-strangler-route": "users-list", "x-strangler-backend": "monolith" });
    h.flags.remove("strangler.users-list.serve");
    const unknown = await httpRequest(h.proxyUrl, { path: "/api/users" });
    expect(unknown.headers["x-strangler-backend"]).toBe("monolith");
    h.flags.set("strangler.users-list.serve", { enabled: true, rollout: 100 });
  });
});

describe("strangler proxy: options", () => {
  it("appends the peer to X-Forwarded-For and keeps -Proto/-Host from a trusted proxy", async () => {
    const h = await startProxyHarness({ proxyExtra: ["trustedProxies: [127.0.0.1]"] });
    try {
      const res = await httpRequest(h.proxyUrl, {
        path: "/api/users",
        headers: { "x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "https", "x-forwarded-host": "shop.example" },
      });
      expect(res.json.headers).toMatchObject({
        "x-forwarded-for": "203.0.113.7, 127.0.0.1",
        "x-forwarded-proto": "https",
        "x-forwarded-host": "shop.example",
      });
    } finally {
      await h.close();
    }
  });

  it("leaves out the x-strangler-* response headers when backendHeaders is false", async () => {
    const h = await startProxyHarness({
      proxyExtra: ["backendHeaders: false"],
      flags: createFakeFlagSource(ALL_ROUTES_ON),
    });
    try {
      const res = await httpRequest(h.proxyUrl, { path: "/api/users" });
      expect(res.json.upstream).toBe("users-service");
      expect(Object.keys(res.headers).filter((name) => name.startsWith("x-strangler-"))).toEqual([]);
      expect(res.headers["x-request-id"]).toMatch(UUID);
    } finally {
      await h.close();
    }
  });
});
