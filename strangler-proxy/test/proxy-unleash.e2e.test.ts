import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compileRoutes, type MigrationConfig } from "@strangler/migration-config";
import { startTestUnleash, type TestUnleash } from "@strangler/stack";
import { createUnleashAdmin, type UnleashAdmin } from "@strangler/unleash-admin";
import { countBackends } from "./support/backend-counter";
import { waitFor } from "./support/fake-unleash-server";
import { httpRequest } from "./support/http-request";
import { startRealApps, type RealApps } from "./support/real-apps";
import { TEST_ADMIN_TOKEN, testMigrationConfig } from "./support/test-config";
import { startUnleashProxy, type UnleashProxy } from "./support/unleash-proxy";

const USERS = Array.from({ length: 1000 }, (_, i) => ({ "x-user-id": `user-${i}` }));

// The real unleash-server (on the jest test PostgreSQL), the real monolith and users service,
// and the proxy wired as main.ts wires it. The example config's refresh interval (500 ms).
describe("strangler proxy with a real Unleash and the real apps (e2e)", () => {
  let unleash: TestUnleash | undefined;
  let apps: RealApps | undefined;
  let running: UnleashProxy | undefined;
  let admin: UnleashAdmin;
  let migration: MigrationConfig;
  const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-proxy-e2e-"));

  const servedRollout = async (routeId: string) => {
    const res = await httpRequest((running as UnleashProxy).adminUrl, {
      path: "/admin/routes",
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    return res.json.routes.find((route: { id: string }) => route.id === routeId).serve as {
      enabled: boolean;
      rollout: number | null;
    };
  };
  const setRollout = async (percent: number) => {
    await admin.setServeRollout("users-list", percent);
    await waitFor(
      async () => (await servedRollout("users-list")).rollout === percent,
      5000,
      `the proxy to report users-list at ${percent} %`,
    );
  };
  const backendFor = async (userId: string) =>
    (
      await httpRequest((running as UnleashProxy).proxyUrl, {
        path: "/api/users?limit=1",
        headers: { "x-user-id": userId },
      })
    ).headers["x-strangler-backend"];

  beforeAll(async () => {
    unleash = await startTestUnleash();
    apps = await startRealApps();
    migration = testMigrationConfig({
      monolithUrl: apps.monolithUrl,
      usersServiceUrl: apps.usersServiceUrl,
      unleashUrl: unleash.url,
    });
    admin = createUnleashAdmin({
      url: unleash.url,
      token: unleash.adminToken,
      project: "default",
      environment: "development",
    });
    await admin.ensureRouteFlags(compileRoutes(migration));
    running = await startUnleashProxy({ migration, clientToken: unleash.clientToken, backupDir });
    await waitFor(() => (running as UnleashProxy).flags.status().source === "unleash", 10_000, "the first flag sync");
  }, 120_000);

  afterAll(async () => {
    await running?.close().catch(() => undefined);
    await apps?.close().catch(() => undefined);
    await unleash?.stop().catch(() => undefined);
    fs.rmSync(backupDir, { recursive: true, force: true });
  });

  it.each([0, 25, 50, 100])(
    "at %i %% the service serves that share of 1,000 distinct users, within ±5 points",
    async (percent) => {
      await setRollout(percent);
      const count = await countBackends((running as UnleashProxy).proxyUrl, "/api/users?limit=1", USERS);
      expect(count.byStatus).toEqual({ 200: 1000 });
      const share = ((count.byBackend["users-service"] ?? 0) / 1000) * 100;
      expect(Math.abs(share - percent)).toBeLessThanOrEqual(5);
      expect((count.byBackend["users-service"] ?? 0) + (count.byBackend.monolith ?? 0)).toBe(1000);
    },
  );

  it("at 50 % one user id hits the same backend 100 times out of 100", async () => {
    await setRollout(50);
    for (const userId of ["sticky-user-1", "sticky-user-2", "sticky-user-3"]) {
      const count = await countBackends(
        (running as UnleashProxy).proxyUrl,
        "/api/users?limit=1",
        Array.from({ length: 100 }, () => ({ "x-user-id": userId })),
        4,
      );
      expect(Object.values(count.byBackend)).toEqual([100]);
    }
  });

  it("sees a flag change within about 2 s", async () => {
    await setRollout(0);
    expect(await backendFor("flip-user")).toBe("monolith");
    await admin.setServeRollout("users-list", 100);
    const changedAt = Date.now();
    await waitFor(
      async () => (await backendFor("flip-user")) === "users-service",
      5000,
      "the service to take the user",
    );
    expect(Date.now() - changedAt).toBeLessThan(2000);
  });

  it("keeps the last known flags when Unleash stops, and a proxy restarted while it is down starts from its backup file", async () => {
    await setRollout(100);
    await waitFor(
      () => fs.readdirSync(backupDir).some((file) => file.startsWith("unleash-backup-")),
      5000,
      "the backup file",
    );
    await (unleash as TestUnleash).stop();
    unleash = undefined;

    // Several failed polls later the routing is unchanged, and the flags' age grows.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const during = await countBackends((running as UnleashProxy).proxyUrl, "/api/users?limit=1", USERS.slice(0, 100));
    expect(during.byBackend).toEqual({ "users-service": 100 });
    expect((running as UnleashProxy).flags.status()).toMatchObject({
      source: "unleash",
      ageSeconds: expect.any(Number),
    });
    expect((running as UnleashProxy).flags.status().ageSeconds).toBeGreaterThan(1);

    // A new proxy process-equivalent: new flag source, new proxy, same backup folder, no Unleash.
    await (running as UnleashProxy).close();
    running = await startUnleashProxy({ migration, clientToken: "unused:development.token", backupDir });
    await waitFor(
      () => (running as UnleashProxy).flags.status().source === "backup",
      5000,
      "flags from the backup file",
    );
    const routes = (
      await httpRequest(running.adminUrl, {
        path: "/admin/routes",
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      })
    ).json;
    expect(routes.flags).toMatchObject({ source: "backup", lastSyncAt: expect.any(String) });
    expect(routes.routes.find((route: { id: string }) => route.id === "users-list").serve).toMatchObject({
      enabled: true,
      rollout: 100,
    });
    const after = await countBackends(running.proxyUrl, "/api/users?limit=1", USERS.slice(0, 100));
    expect(after.byBackend).toEqual({ "users-service": 100 });
    expect((await httpRequest(running.adminUrl, { path: "/readyz" })).status).toBe(200);
  });
});
