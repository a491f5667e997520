import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compileRoutes, loadMigrationConfig, type MigrationConfig } from "@strangler/migration-config";
import { startTestUnleash, type TestUnleash } from "@strangler/stack";
import type { TestDatabase } from "../../../stack/src/testing/test-database";
import { createUnleashAdmin, type UnleashAdmin } from "@strangler/unleash-admin";
import { createPrismaClient, signToken } from "../src";
import { BLOG_TEST_SECRET, startBlogApp, type BlogAppProcess } from "./support/blog-app-process";
import { createBlogDatabase } from "./support/blog-database";
import { PROXY_TEST_ADMIN_TOKEN, startProxy, type ProxyProcess } from "./support/proxy-process";

const CONFIG_FILE = path.join(__dirname, "..", "strangler.config.yaml");
const USERS = Array.from({ length: 40 }, (_, i) => i + 1);
const token = (userId: number, secret = BLOG_TEST_SECRET) => `Token ${signToken({ user: { id: userId } }, secret)}`;

/** Each database holds the same users and one post whose title says which side it is. */
async function seed(db: TestDatabase, side: string): Promise<void> {
  const prisma = createPrismaClient(db.url);
  try {
    await prisma.user.createMany({
      data: USERS.map((id) => ({ id, email: `user${id}@blog.test`, name: `User ${id}` })),
    });
    await prisma.post.create({
      data: {
        title: `served by the ${side} database`,
        published: true,
        authorId: 1,
        tags: { create: [{ name: side }] },
      },
    });
  } finally {
    await prisma.$disconnect();
  }
}

// The blog (examples/blog) as a second monolith: the same app twice, as the legacy app and as the
// extracted service, each on its own database; the real proxy process and a real Unleash, all driven
// by examples/blog/strangler.config.yaml alone. Identity: `Authorization: Token <jwt>`, claim user.id.
describe("the strangler proxy on the blog, driven by its migration config (e2e)", () => {
  const dbs: TestDatabase[] = [];
  const apps: BlogAppProcess[] = [];
  let unleash: TestUnleash | undefined;
  let proxy: ProxyProcess | undefined;
  let admin: UnleashAdmin;
  let migration: MigrationConfig;
  const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-blog-e2e-"));

  /** One GET through the proxy as `userId`: which backend answered (x-strangler-backend) and which database (the post's title). */
  const get = async (pathname: string, authorization: string) => {
    const res = await fetch(`${(proxy as ProxyProcess).proxyUrl}${pathname}`, { headers: { authorization } });
    const body = (await res.json()) as { posts?: Array<{ title: string }>; email?: string };
    return { status: res.status, backend: res.headers.get("x-strangler-backend"), body };
  };
  const postsBackend = async (authorization: string) => {
    const res = await get("/api/posts", authorization);
    expect(res.status).toBe(200);
    // The header and the data agree: the request really reached that app and its database.
    expect(res.body.posts?.[0]?.title).toBe(`served by the ${res.backend === "blog" ? "legacy" : "service"} database`);
    return res.backend;
  };
  const setRollout = async (routeId: string, percent: number) => {
    await admin.setServeRollout(routeId, percent);
    for (;;) {
      const res = await fetch(`${(proxy as ProxyProcess).adminUrl}/admin/routes`, {
        headers: { authorization: `Bearer ${PROXY_TEST_ADMIN_TOKEN}` },
      });
      const report = (await res.json()) as { routes: Array<{ id: string; serve: { rollout: number | null } }> };
      if (report.routes.find((route) => route.id === routeId)?.serve.rollout === percent) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    dbs.push(await createBlogDatabase("blog_legacy"), await createBlogDatabase("blog_service"));
    await seed(dbs[0] as TestDatabase, "legacy");
    await seed(dbs[1] as TestDatabase, "service");
    apps.push(await startBlogApp((dbs[0] as TestDatabase).url), await startBlogApp((dbs[1] as TestDatabase).url));
    unleash = await startTestUnleash();
    const configEnv = {
      BLOG_LEGACY_URL: (apps[0] as BlogAppProcess).url,
      BLOG_SERVICE_URL: (apps[1] as BlogAppProcess).url,
      STRANGLER_UNLEASH_URL: unleash.url,
    };
    migration = loadMigrationConfig(CONFIG_FILE, configEnv);
    admin = createUnleashAdmin({
      url: unleash.url,
      token: unleash.adminToken,
      project: migration.unleash.project,
      environment: migration.unleash.environment,
    });
    await admin.ensureRouteFlags(compileRoutes(migration));
    proxy = await startProxy(CONFIG_FILE, configEnv, { unleashClientToken: unleash.clientToken, backupDir });
  }, 180_000);

  afterAll(async () => {
    await proxy?.stop().catch(() => undefined);
    for (const app of apps) await app.stop().catch(() => undefined);
    await unleash?.stop().catch(() => undefined);
    for (const db of dbs) await db.drop().catch(() => undefined);
    fs.rmSync(backupDir, { recursive: true, force: true });
  });

  it("reads the blog's names from its config: legacy app, service and routes", () => {
    expect(migration.legacy.name).toBe("blog");
    expect(migration.services.map((service) => service.name)).toEqual(["blog-service"]);
    expect(migration.proxy.identity.userId).toEqual([{ authorization: { scheme: "Token", claim: ["user", "id"] } }]);
  });

  it.each([
    [0, "blog"],
    [100, "blog-service"],
  ])("at %i %% every user's reads go to %s", async (percent, backend) => {
    await setRollout("blog-posts-list", percent);
    await setRollout("blog-users-get", percent);
    for (const userId of USERS) {
      expect(await postsBackend(token(userId))).toBe(backend);
      const user = await get(`/api/users/${userId}`, token(userId));
      expect({ status: user.status, backend: user.backend, email: user.body.email }).toEqual({
        status: 200,
        backend,
        email: `user${userId}@blog.test`,
      });
    }
  });

  it("at 50 % one user's 100 requests all go to one backend, and the users are spread over both", async () => {
    await setRollout("blog-posts-list", 50);
    const byUser = new Map<number, Set<string | null>>();
    for (const userId of USERS.slice(0, 5)) {
      const backends = new Set<string | null>();
      for (let i = 0; i < 100; i += 1) backends.add(await postsBackend(token(userId)));
      byUser.set(userId, backends);
    }
    for (const userId of USERS.slice(5)) byUser.set(userId, new Set([await postsBackend(token(userId))]));
    for (const backends of byUser.values()) expect(backends.size).toBe(1);
    const firstChoices = [...byUser.values()].map((backends) => [...backends][0]);
    expect(new Set(firstChoices)).toEqual(new Set(["blog", "blog-service"]));
  });

  it("buckets by the token's claim without verifying it: a badly signed token of a user goes where that user goes", async () => {
    await setRollout("blog-posts-list", 50);
    for (const userId of USERS.slice(0, 10)) {
      expect(await postsBackend(token(userId, "not-the-blog-secret-0123"))).toBe(await postsBackend(token(userId)));
    }
  });
});
