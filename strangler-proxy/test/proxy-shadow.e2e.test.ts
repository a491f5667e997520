import http from "node:http";
import { parseTraceparent } from "../src/forwarding/trace-context";
import { httpRequest } from "./support/http-request";
import { metricValue } from "./support/metrics-text";
import { serveFlag, shadowFlag, startShadowHarness, type ShadowHarness } from "./support/shadow-harness";

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("shadow traffic through the proxy", () => {
  let h: ShadowHarness;

  beforeAll(async () => {
    h = await startShadowHarness({ shadow: "{ maxRequestBodyBytes: 1024, noiseSample: 0 }" });
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(() => {
    for (const app of [h.legacy, h.catalog, h.ledger]) app.received.length = 0;
    h.sink.exchanges.length = 0;
    h.sink.skips.length = 0;
    for (const route of ["items-get", "items-list", "items-create", "entries-get", "entries-create"]) {
      h.flags.remove(serveFlag(route));
      h.flags.remove(shadowFlag(route));
    }
  });

  describe("client-sent markers", () => {
    const spoofed = { "x-strangler-dry-run": "1", "X-Strangler-Shadow": "1", "x-user-id": "u1" };

    it.each([
      ["a route on the monolith", "POST", "/api/items", {}],
      ["a route on the service", "POST", "/api/items", { serve: true }],
      ["a path no route matches", "POST", "/elsewhere", {}],
      ["a shadowed read", "GET", "/api/items/1", { shadow: true }],
    ] as const)("never reach an upstream on the primary request: %s", async (_label, method, path, flags) => {
      const route = path === "/api/items/1" ? "items-get" : "items-create";
      if ("serve" in flags) h.flags.set(serveFlag(route), { enabled: true });
      if ("shadow" in flags) h.flags.set(shadowFlag(route), { enabled: true });
      const res = await httpRequest(h.proxyUrl, {
        method,
        path,
        headers: spoofed,
        body: method === "POST" ? "{}" : undefined,
      });
      expect(res.status).toBe(200);
      // The mirror settles within this test, so it cannot land in the next one.
      if ("shadow" in flags) await h.sink.waitForExchanges(1);
      const primary = [...h.legacy.received, ...h.catalog.received].filter(
        (r) => r.headers["x-strangler-shadow"] === undefined,
      );
      expect(primary).toHaveLength(1);
      expect(primary[0]?.headers["x-strangler-dry-run"]).toBeUndefined();
      expect(primary[0]?.headers["x-strangler-shadow"]).toBeUndefined();
    });
  });

  describe("reads", () => {
    it("mirrors nothing while the shadow flag is off", async () => {
      const res = await httpRequest(h.proxyUrl, { path: "/api/items/42" });
      expect(res.json.app).toBe("legacy-app");
      // A later shadowed request settles: had the first one been mirrored, it would have been sent before.
      h.flags.set(shadowFlag("items-list"), { enabled: true });
      await httpRequest(h.proxyUrl, { path: "/api/items" });
      await h.sink.waitForExchanges(1);
      expect(h.catalog.received.map((r) => r.url)).toEqual(["/api/items"]);
      expect(h.sink.exchanges.map((e) => e.routeId)).toEqual(["items-list"]);
    });

    it("mirrors a read to the service (servicePath mapped) with the marker and a child traceparent", async () => {
      h.flags.set(shadowFlag("items-get"), { enabled: true });
      const res = await httpRequest(h.proxyUrl, {
        path: "/api/items/42?x=1",
        headers: {
          traceparent: TRACEPARENT,
          accept: "application/json",
          authorization: "Bearer secret",
          "x-user-id": "u7",
        },
      });
      expect(res.status).toBe(200);
      expect(res.json.app).toBe("legacy-app");
      await h.sink.waitForExchanges(1);
      const [primary] = h.legacy.received;
      const [mirrored] = h.catalog.received;
      expect(primary?.url).toBe("/api/items/42?x=1");
      expect(primary?.headers.traceparent).toBe(TRACEPARENT);
      expect(primary?.headers["x-strangler-shadow"]).toBeUndefined();
      expect(mirrored).toMatchObject({ method: "GET", url: "/v2/things/42?x=1" });
      expect(mirrored?.headers["x-strangler-shadow"]).toBe("1");
      expect(mirrored?.headers["x-strangler-dry-run"]).toBeUndefined();
      expect(mirrored?.headers["x-request-id"]).toBe(primary?.headers["x-request-id"]);
      const child = parseTraceparent(mirrored?.headers.traceparent);
      expect(child?.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
      expect(child?.parentId).not.toBe("00f067aa0ba902b7");

      const exchange = h.sink.exchanges[0];
      expect(exchange).toMatchObject({
        routeId: "items-get",
        service: "catalog-service",
        primary: "legacy",
        method: "GET",
        path: "/api/items/42?x=1",
        traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
        dryRun: false,
        requestBody: null,
      });
      expect(exchange?.requestHeaders.accept).toBe("application/json");
      expect(exchange?.requestHeaders).not.toHaveProperty("authorization");
      expect(exchange?.requestHeaders).not.toHaveProperty("x-user-id");
      expect(exchange?.primaryAgain).toBeUndefined();
      const bodyOf = (outcome: unknown) =>
        JSON.parse(Buffer.from((outcome as { answer: { body: Uint8Array } }).answer.body).toString()) as {
          app: string;
        };
      expect(exchange?.primaryOutcome.kind).toBe("answered");
      expect(bodyOf(exchange?.primaryOutcome).app).toBe("legacy-app");
      expect(exchange?.candidateOutcome.kind).toBe("answered");
      expect(bodyOf(exchange?.candidateOutcome).app).toBe("catalog-service");
      expect(
        await metricValue(h.adminUrl, "strangler_proxy_shadow_requests_total", {
          route: "items-get",
          side: "service",
          outcome: "answered",
        }),
      ).toBeGreaterThanOrEqual(1);
    });

    it("mirrors to the monolith for a user the service serves, on the legacy path", async () => {
      h.flags.set(serveFlag("items-get"), { enabled: true });
      h.flags.set(shadowFlag("items-get"), { enabled: true });
      const res = await httpRequest(h.proxyUrl, { path: "/api/items/7" });
      expect(res.json).toMatchObject({ app: "catalog-service", url: "/v2/things/7" });
      await h.sink.waitForExchanges(1);
      expect(h.catalog.received).toHaveLength(1);
      expect(h.legacy.received).toHaveLength(1);
      expect(h.legacy.received[0]).toMatchObject({ method: "GET", url: "/api/items/7" });
      expect(h.legacy.received[0]?.headers["x-strangler-shadow"]).toBe("1");
      const primaryTrace = parseTraceparent(h.catalog.received[0]?.headers.traceparent);
      const mirrorTrace = parseTraceparent(h.legacy.received[0]?.headers.traceparent);
      expect(primaryTrace).toBeDefined();
      expect(mirrorTrace?.traceId).toBe(primaryTrace?.traceId);
      expect(mirrorTrace?.parentId).not.toBe(primaryTrace?.parentId);
      expect(h.sink.exchanges[0]).toMatchObject({ primary: "service", traceId: primaryTrace?.traceId });
    });
  });

  describe("writes", () => {
    it("mirrors a write to a dryRun service with the dry-run header and the same body", async () => {
      h.flags.set(shadowFlag("items-create"), { enabled: true });
      const body = JSON.stringify({ name: "lamp" });
      const res = await httpRequest(h.proxyUrl, {
        method: "POST",
        path: "/api/items",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(res.json.app).toBe("legacy-app");
      await h.sink.waitForExchanges(1);
      expect(h.legacy.received[0]).toMatchObject({ method: "POST", body });
      expect(h.legacy.received[0]?.headers["x-strangler-dry-run"]).toBeUndefined();
      expect(h.catalog.received[0]).toMatchObject({ method: "POST", url: "/api/items", body });
      expect(h.catalog.received[0]?.headers["x-strangler-dry-run"]).toBe("1");
      expect(h.catalog.received[0]?.headers["x-strangler-shadow"]).toBe("1");
      expect(h.sink.exchanges[0]).toMatchObject({ dryRun: true });
      expect(Buffer.from(h.sink.exchanges[0]?.requestBody ?? []).toString()).toBe(body);
    });

    it("never mirrors a write to a service without dry-run, and counts the skip", async () => {
      h.flags.set(shadowFlag("entries-create"), { enabled: true });
      h.flags.set(shadowFlag("entries-get"), { enabled: true });
      const res = await httpRequest(h.proxyUrl, { method: "POST", path: "/api/entries", body: "{}" });
      expect(res.json.app).toBe("legacy-app");
      expect(h.sink.skips).toEqual([
        { routeId: "entries-create", service: "ledger-service", reason: "write_without_dry_run" },
      ]);
      // A read mirrored afterwards arrives; the write before it never did.
      await httpRequest(h.proxyUrl, { path: "/api/entries/1" });
      await h.sink.waitForExchanges(1);
      expect(h.ledger.received.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /api/entries/1"]);
      expect(
        await metricValue(h.adminUrl, "strangler_proxy_shadow_skipped_total", {
          route: "entries-create",
          reason: "write_without_dry_run",
        }),
      ).toBe(1);
    });

    it("never mirrors a write to the monolith when the service serves it", async () => {
      h.flags.set(serveFlag("items-create"), { enabled: true });
      h.flags.set(shadowFlag("items-create"), { enabled: true });
      const res = await httpRequest(h.proxyUrl, { method: "POST", path: "/api/items", body: "{}" });
      expect(res.json.app).toBe("catalog-service");
      expect(h.sink.skips.map((s) => s.reason)).toEqual(["write_without_dry_run"]);
      h.flags.set(shadowFlag("items-list"), { enabled: true });
      h.flags.set(serveFlag("items-list"), { enabled: true });
      await httpRequest(h.proxyUrl, { path: "/api/items" });
      await h.sink.waitForExchanges(1);
      expect(h.legacy.received.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /api/items"]);
    });
  });

  describe("request bodies over the tee bound", () => {
    it("are not mirrored (Content-Length), counted, and reach the primary whole", async () => {
      h.flags.set(shadowFlag("items-create"), { enabled: true });
      const body = "x".repeat(5000);
      const res = await httpRequest(h.proxyUrl, { method: "POST", path: "/api/items", body });
      expect(res.json).toMatchObject({ app: "legacy-app", body });
      expect(h.sink.skips.map((s) => s.reason)).toEqual(["request_body_too_large"]);
      await httpRequest(h.proxyUrl, { method: "POST", path: "/api/items", body: "small" });
      await h.sink.waitForExchanges(1);
      expect(h.catalog.received.map((r) => r.body)).toEqual(["small"]);
    });

    it("are not mirrored when chunked, counted, and reach the primary whole", async () => {
      h.flags.set(shadowFlag("items-create"), { enabled: true });
      const chunk = "y".repeat(700);
      const answer = await new Promise<string>((resolve, reject) => {
        const url = new URL(h.proxyUrl);
        const req = http.request(
          { host: url.hostname, port: url.port, method: "POST", path: "/api/items", agent: false },
          (res) => {
            let text = "";
            res.on("data", (d: Buffer) => (text += d.toString()));
            res.on("end", () => resolve(text));
          },
        );
        req.on("error", reject);
        req.write(chunk);
        setTimeout(() => {
          req.write(chunk);
          req.end(chunk);
        }, 20);
      });
      expect((JSON.parse(answer) as { body: string }).body).toBe(chunk.repeat(3));
      expect(h.sink.skips.map((s) => s.reason)).toEqual(["request_body_too_large"]);
      await httpRequest(h.proxyUrl, { method: "POST", path: "/api/items", body: "small" });
      await h.sink.waitForExchanges(1);
      expect(h.catalog.received.map((r) => r.body)).toEqual(["small"]);
    });
  });
});

describe("noise sample", () => {
  let h: ShadowHarness;
  beforeAll(async () => {
    h = await startShadowHarness({ shadow: "{ noiseSample: 1 }" });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("sends a shadowed read a second time to the primary's side, marked", async () => {
    h.flags.set(shadowFlag("items-get"), { enabled: true });
    await httpRequest(h.proxyUrl, { path: "/api/items/3" });
    await h.sink.waitForExchanges(1);
    expect(h.legacy.received).toHaveLength(2);
    expect(h.legacy.received.map((r) => r.headers["x-strangler-shadow"] ?? "-").sort()).toEqual(["-", "1"]);
    expect(h.catalog.received).toHaveLength(1);
    expect(h.sink.exchanges[0]?.primaryAgain?.kind).toBe("answered");
  });
});
