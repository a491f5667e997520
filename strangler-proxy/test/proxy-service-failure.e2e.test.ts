import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compileRoutes } from "@strangler/migration-config";
import { startTestUnleash, type TestUnleash } from "@strangler/stack";
import { createUnleashAdmin } from "@strangler/unleash-admin";
import { countBackends } from "./support/backend-counter";
import { waitFor } from "./support/fake-unleash-server";
import { httpRequest } from "./support/http-request";
import { metricValue } from "./support/metrics-text";
import { startRealApps, type RealApps } from "./support/real-apps";
import { TEST_ADMIN_TOKEN, testMigrationConfig } from "./support/test-config";
import { startUnleashProxy, type UnleashProxy } from "./support/unleash-proxy";

// Users routes moved to the users service (100 %), then the service dies. Breaker: 3 failures, 1 s open.
describe("strangler proxy when the users service dies (e2e, real Unleash and apps)", () => {
  let unleash: TestUnleash | undefined;
  let apps: RealApps | undefined;
  let running: UnleashProxy | undefined;
  const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-proxy-failure-"));
  const proxyUrl = () => (running as UnleashProxy).proxyUrl;
  const adminUrl = () => (running as UnleashProxy).adminUrl;
  const createUser = (email: string) =>
    httpRequest(proxyUrl(), {
      method: "POST",
      path: "/api/users",
      headers: { "content-type": "application/json", "x-user-id": "writer" },
      body: JSON.stringify({ email, name: "Kill Test" }),
    });

  beforeAll(async () => {
    unleash = await startTestUnleash();
    apps = await startRealApps();
    const migration = testMigrationConfig({
      monolithUrl: apps.monolithUrl,
      usersServiceUrl: apps.usersServiceUrl,
      unleashUrl: unleash.url,
    });
    const admin = createUnleashAdmin({
      url: unleash.url,
      token: unleash.adminToken,
      project: "default",
      environment: "development",
    });
    await admin.ensureRouteFlags(compileRoutes(migration));
    for (const route of ["users-list", "users-get", "users-create"]) await admin.setServeRollout(route, 100);
    running = await startUnleashProxy({ migration, clientToken: unleash.clientToken, backupDir });
    await waitFor(
      () => (running as UnleashProxy).flags.state("strangler.users-create.serve")?.rollout === 100,
      10_000,
      "the flags at 100 %",
    );
  }, 120_000);

  afterAll(async () => {
    await running?.close().catch(() => undefined);
    await apps?.close().catch(() => undefined);
    await unleash?.stop().catch(() => undefined);
    fs.rmSync(backupDir, { recursive: true, force: true });
  });

  it("serves reads and writes from the service while it is up", async () => {
    const created = await createUser("alive@example.com");
    expect(created.status).toBe(201);
    expect(created.headers["x-strangler-backend"]).toBe("users-service");
    expect(await apps?.serviceRows()).toBe(1);
    expect(await apps?.monolithRows()).toBe(0);
  });

  it("answers a POST with a clear 502 once the service is gone, and writes it nowhere", async () => {
    await apps?.killUsersService();
    const res = await createUser("after-death@example.com");
    expect(res.status).toBe(502);
    expect(res.json.error).toMatchObject({
      code: "STRANGLER_BAD_GATEWAY",
      details: {
        route: "users-create",
        backend: "users-service",
        reason: "connect",
        requestId: res.headers["x-request-id"],
      },
    });
    expect(res.json.error.message).toMatch(/never replayed/);
    // Not written twice, and not written once on the wrong side either.
    expect(await apps?.monolithRows()).toBe(0);
    expect(await apps?.serviceRows()).toBe(1);
  });

  it("keeps answering GETs from the monolith, opens the breaker and shows it in /metrics and /admin/routes", async () => {
    const count = await countBackends(
      proxyUrl(),
      "/api/users?limit=5",
      Array.from({ length: 50 }, (_, i) => ({ "x-user-id": `reader-${i}` })),
      4,
    );
    expect(count.byStatus).toEqual({ 200: 50 });
    expect(count.byBackend).toEqual({ monolith: 50 });
    expect(await metricValue(adminUrl(), "strangler_proxy_breaker_state", { service: "users-service" })).toBe(2);
    expect(
      await metricValue(adminUrl(), "strangler_proxy_fallbacks_total", {
        route: "users-list",
        reason: "connect_error",
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await metricValue(adminUrl(), "strangler_proxy_fallbacks_total", { route: "users-list", reason: "breaker_open" }),
    ).toBeGreaterThan(40);
    const routes = (
      await httpRequest(adminUrl(), { path: "/admin/routes", headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })
    ).json.routes;
    expect(routes.find((route: { id: string }) => route.id === "users-list")).toMatchObject({
      backend: { healthy: false },
      breaker: { state: "open" },
    });
  });

  it("answers a POST with 503 while the breaker is open, still writing nothing", async () => {
    const res = await createUser("breaker-open@example.com");
    expect(res.status).toBe(503);
    expect(res.json.error.code).toBe("STRANGLER_SERVICE_UNAVAILABLE");
    expect(await apps?.monolithRows()).toBe(0);
    expect(await apps?.serviceRows()).toBe(1);
  });
});
