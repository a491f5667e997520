import http from "node:http";
import type { AddressInfo } from "node:net";
import { diffExampleSchema, diffReportSchema, type RouteDiffReport } from "@strangler/ops-contract";
import { createLogger } from "@strangler/service-kit";
import {
  createMonolithApp,
  createPrismaClient as createMonolithPrisma,
  seedMonolith,
} from "@strangler/legacy-monolith";
import { createUsersServiceApp } from "../../extracted/users-service/src/app";
import { createPrismaClient as createServicePrisma } from "../../extracted/users-service/src/db/prisma-client";
import { isUppercasedUser } from "../../extracted/users-service/src/profiles/last-name-switch";
import { splitName } from "../../extracted/users-service/src/profiles/profile-mapping";
import { createTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { adminGet, send, shadowConfigYaml, startShadowHarness, type ShadowHarness } from "./support/shadow-harness";

// Issue 11's must-show tests on the worked example's users API: a difference planted in the users
// service (USERS_SERVICE_TEST_UPPERCASE_LAST_NAMES) is found with its field, kind, an example and its
// share; without it everything matches; writes are mirrored only as dry runs.
const SEEDED_USERS = 300;
const PLANTED_SHARE = 0.2;
/** The report's mismatch share may differ from the planted one by this much (absolute). */
const SHARE_TOLERANCE = 0.03;
const logger = createLogger("shadow-test", "silent");

interface Listening {
  url: string;
  close(): Promise<void>;
}

async function listen(app: http.RequestListener): Promise<Listening> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const usersService = (url: string, writes = true) => [
  "  - name: users-service",
  `    url: ${url}`,
  "    dryRun: true",
  "    routes:",
  "      reads: [{ id: users-get, methods: [GET], path: /api/users/:id }]",
  ...(writes
    ? [
        "      writes:",
        "        - { id: users-create, methods: [POST], path: /api/users }",
        "        - { id: users-update, methods: [PATCH], path: /api/users/:id }",
        "        - { id: users-delete, methods: [DELETE], path: /api/users/:id }",
      ]
    : []),
];
const shadowOn = (...routes: string[]) =>
  Object.fromEntries(
    routes.flatMap((route) => [
      [`strangler.${route}.shadow`, { enabled: true, rollout: 100 }],
      [`strangler.${route}.serve`, { enabled: false, rollout: 0 }],
    ]),
  );
const route = (report: { routes: RouteDiffReport[] }, id: string) => report.routes.find((r) => r.routeId === id);

describe("shadow mode on the users API (monolith primary, users service candidate)", () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  let monolithDb: TestDatabase;
  let serviceDb: TestDatabase;
  let servicePrisma: ReturnType<typeof createServicePrisma>;
  let monolithPrisma: ReturnType<typeof createMonolithPrisma>;
  let users: Array<{ id: string; name: string }>;
  let monolithUrl: string;
  let plantedUrl: string;
  let plainUrl: string;

  beforeAll(async () => {
    monolithDb = await createTestDatabase("monolith");
    cleanup.push(() => monolithDb.drop());
    serviceDb = await createTestDatabase("users_service");
    cleanup.push(() => serviceDb.drop());
    monolithPrisma = createMonolithPrisma(monolithDb.url);
    cleanup.push(() => monolithPrisma.$disconnect());
    servicePrisma = createServicePrisma(serviceDb.url);
    cleanup.push(() => servicePrisma.$disconnect());
    await seedMonolith(monolithPrisma, { users: SEEDED_USERS, products: 0, orders: 0 });
    // The service's copy of the seeded users, as CDC would make it (name split at the first space).
    const seeded = await monolithPrisma.user.findMany({ orderBy: { id: "asc" } });
    await servicePrisma.userProfile.createMany({
      data: seeded.map((u) => ({
        userId: u.id,
        emailAddress: u.email,
        ...splitName(u.name),
        phoneNumber: u.phone,
        createdAt: u.createdAt,
        updatedAt: u.updatedAt,
      })),
    });
    users = seeded.map((u) => ({ id: u.id, name: u.name }));
    const apps = await Promise.all([
      listen(createMonolithApp({ prisma: monolithPrisma, logger })),
      listen(createUsersServiceApp({ prisma: servicePrisma, logger, testUppercaseLastNames: PLANTED_SHARE })),
      listen(createUsersServiceApp({ prisma: servicePrisma, logger })),
    ]);
    for (const app of apps) cleanup.push(() => app.close());
    [monolithUrl, plantedUrl, plainUrl] = apps.map((app) => app.url) as [string, string, string];
  });

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  async function withHarness(
    serviceUrl: string,
    routes: string[],
    run: (h: ShadowHarness) => Promise<void>,
  ): Promise<void> {
    const h = await startShadowHarness(
      (toolkitDatabase) =>
        shadowConfigYaml({ legacyUrl: monolithUrl, toolkitDatabase, services: usersService(serviceUrl) }),
      shadowOn(...routes),
    );
    try {
      await run(h);
    } finally {
      await h.close();
    }
  }

  it("reports the planted upper-cased last names: field /name, kind value, an example, and the planted share", async () => {
    // The users whose answer the switch changes: picked by id, and with a last name that upper-casing changes.
    const affected = users.filter((u) => {
      const { lastName } = splitName(u.name);
      return isUppercasedUser(u.id, PLANTED_SHARE) && lastName !== lastName.toUpperCase();
    });
    expect(affected.length).toBeGreaterThan(0);
    await withHarness(plantedUrl, ["users-get"], async (h) => {
      for (const user of users)
        expect((await send(h.proxyUrl, "GET", `/api/users/${user.id}`, { userId: user.id })).status).toBe(200);
      const report = await h.waitForReport((r) => (route(r, "users-get")?.compared ?? 0) >= users.length);
      const get = route(report, "users-get") as RouteDiffReport;
      expect(get.compared).toBe(users.length);
      expect(Math.abs(get.mismatches / get.compared - affected.length / users.length)).toBeLessThanOrEqual(
        SHARE_TOLERANCE,
      );
      const planted = get.signatures.find((s) => s.fields.some((f) => f.path === "/name"));
      expect(planted?.fields).toEqual([{ path: "/name", kind: "value" }]);
      expect(planted?.exampleId).toEqual(expect.any(String));

      // The admin API serves the same documents the CLI reads.
      const admin = await adminGet(h.adminUrl, "/admin/diff/report?route=users-get&since=1h");
      expect(admin.status).toBe(200);
      expect(route(diffReportSchema.parse(admin.json), "users-get")?.mismatches).toBe(get.mismatches);
      const example = await adminGet(
        h.adminUrl,
        `/admin/diff/examples/${encodeURIComponent(planted?.exampleId ?? "")}`,
      );
      expect(example.status).toBe(200);
      const shown = diffExampleSchema.parse(example.json);
      expect(shown.differences).toEqual([expect.objectContaining({ path: "/name", kind: "value" })]);
      const id = /\/api\/users\/(.+)$/.exec(shown.path)?.[1];
      expect(affected.map((u) => u.id)).toContain(id);
      expect((await adminGet(h.adminUrl, "/admin/diff/examples/no-such-example")).status).toBe(404);
    });
  });

  it("matches 100 % over the seeded users without the switch", async () => {
    await withHarness(plainUrl, ["users-get"], async (h) => {
      for (const user of users) await send(h.proxyUrl, "GET", `/api/users/${user.id}`, { userId: user.id });
      const report = await h.waitForReport((r) => (route(r, "users-get")?.compared ?? 0) >= users.length);
      const get = route(report, "users-get") as RouteDiffReport;
      expect(get).toMatchObject({ compared: users.length, mismatches: 0, matchRate: 1, signatures: [] });
    });
  });

  it("mirrors 100 POST/PATCH/DELETE to the users service as dry runs: compared, and no row written there", async () => {
    const keys = async () =>
      await servicePrisma.userProfile.findMany({
        select: { userId: true, firstName: true, lastName: true, emailAddress: true },
        orderBy: { userId: "asc" },
      });
    const before = await keys();
    const monolithBefore = await monolithPrisma.user.count();
    const patched = users.slice(0, 33);
    const deleted = users.slice(-33);
    await withHarness(plainUrl, ["users-create", "users-update", "users-delete"], async (h) => {
      for (let i = 0; i < 34; i++) {
        const created = await send(h.proxyUrl, "POST", "/api/users", {
          body: { email: `shadow-${i}@example.test`, name: `Shadow Writer${i}` },
        });
        expect(created.status).toBe(201);
      }
      for (const user of patched)
        expect(
          (
            await send(h.proxyUrl, "PATCH", `/api/users/${user.id}`, {
              body: { name: "Renamed Through Shadow" },
              userId: user.id,
            })
          ).status,
        ).toBe(200);
      for (const user of deleted)
        expect((await send(h.proxyUrl, "DELETE", `/api/users/${user.id}`, { userId: user.id })).status).toBeLessThan(
          300,
        );

      const writes = ["users-create", "users-update", "users-delete"];
      const total = (r: { routes: RouteDiffReport[] }) =>
        writes.reduce((sum, id) => sum + (route(r, id)?.compared ?? 0), 0);
      const report = await h.waitForReport((r) => total(r) >= 100);
      expect(total(report)).toBe(100);
      for (const id of writes) expect(route(report, id)?.skipped.write_without_dry_run ?? 0).toBe(0);
    });
    // The primary wrote; the candidate rolled every mirrored write back: same rows, same keys, same values.
    expect(await monolithPrisma.user.count()).toBe(monolithBefore + 34 - 33);
    const after = await keys();
    expect(after).toHaveLength(before.length);
    expect(after).toEqual(before);
  });
});
