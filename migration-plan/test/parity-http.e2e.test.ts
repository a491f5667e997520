import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { httpParityReportSchema } from "@strangler/ops-contract";
import { createLogger } from "@strangler/service-kit";
import {
  createMonolithApp,
  createPrismaClient as createMonolithPrisma,
  seedMonolith,
} from "@strangler/legacy-monolith";
import { XMLParser } from "fast-xml-parser";
import { createCatalogServiceApp } from "../../extracted/catalog-service/src/app";
import { createPrismaClient as createCatalogPrisma } from "../../extracted/catalog-service/src/db/prisma-client";
import { createUsersServiceApp } from "../../extracted/users-service/src/app";
import { createPrismaClient as createUsersPrisma } from "../../extracted/users-service/src/db/prisma-client";
import { splitName } from "../../extracted/users-service/src/profiles/profile-mapping";
import { createEmptyTestDatabase, createTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { loadCliEnvironment } from "../src/cli/cli-config";
import { runParityHttpCommand } from "../src/cli/parity/parity-http-command";

// Issue 12's must-show on the worked example: `strangler parity http` with the example's own config
// (migration-plan/strangler.config.yaml) and its committed corpus (migration-plan/parity-corpus/)
// passes against the seeded example apps; with the users service's test switch
// USERS_SERVICE_TEST_UPPERCASE_LAST_NAMES at 100 % it fails (exit 1) naming the field path, and the
// JUnit file, read by a real XML parser, counts the same failures. The apps run in-process on clones
// of the migrated databases; the service databases hold the copy CDC would make.
const CONFIG = path.join(__dirname, "..", "strangler.config.yaml");
const CORPUS = path.join(__dirname, "..", "parity-corpus");
const logger = createLogger("parity-http-test", "silent");

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

describe("strangler parity http on the worked example", () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  const urls = { monolith: "", users: "", usersUppercase: "", catalog: "", toolkit: "" };
  let monolithPrisma: ReturnType<typeof createMonolithPrisma>;
  let dir: string;

  beforeAll(async () => {
    const databases: Record<"monolith" | "users" | "catalog", TestDatabase> = {
      monolith: await createTestDatabase("monolith"),
      users: await createTestDatabase("users_service"),
      catalog: await createTestDatabase("catalog_service"),
    };
    const toolkit = await createEmptyTestDatabase("toolkit");
    for (const db of [...Object.values(databases), toolkit]) cleanup.push(() => db.drop());
    urls.toolkit = toolkit.url;
    monolithPrisma = createMonolithPrisma(databases.monolith.url);
    const usersPrisma = createUsersPrisma(databases.users.url);
    const catalogPrisma = createCatalogPrisma(databases.catalog.url);
    cleanup.push(
      () => monolithPrisma.$disconnect(),
      () => usersPrisma.$disconnect(),
      () => catalogPrisma.$disconnect(),
    );
    // The default seed (what `npm run seed` and the demo load): the corpus names its ids.
    await seedMonolith(monolithPrisma);
    // The services' copies, as CDC makes them (names split at the first space; every product column renamed).
    const users = await monolithPrisma.user.findMany();
    await usersPrisma.userProfile.createMany({
      data: users.map((u) => ({
        userId: u.id,
        emailAddress: u.email,
        ...splitName(u.name),
        phoneNumber: u.phone,
        createdAt: u.createdAt,
        updatedAt: u.updatedAt,
      })),
    });
    const products = await monolithPrisma.product.findMany();
    await catalogPrisma.catalogItem.createMany({
      data: products.map((p) => ({
        itemId: p.id,
        itemCode: p.sku,
        title: p.name,
        summary: p.description,
        priceAmount: p.priceCents,
        unitsInStock: p.stock,
        listedAt: p.createdAt,
        updatedAt: p.updatedAt,
      })),
    });
    const apps = await Promise.all([
      listen(createMonolithApp({ prisma: monolithPrisma, logger })),
      listen(createUsersServiceApp({ prisma: usersPrisma, logger })),
      listen(createUsersServiceApp({ prisma: usersPrisma, logger, testUppercaseLastNames: 1 })),
      listen(createCatalogServiceApp({ prisma: catalogPrisma, logger })),
    ]);
    for (const app of apps) cleanup.push(() => app.close());
    const [monolith, usersService, usersUppercase, catalog] = apps.map((app) => app.url) as [
      string,
      string,
      string,
      string,
    ];
    Object.assign(urls, { monolith, users: usersService, usersUppercase, catalog });
  });

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "parity-http-example-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** `strangler parity http` with the example's config, its variables pointing at the apps of this test. */
  async function parityHttp(usersUrl: string, args: string[]) {
    const captured = { out: "", err: "" };
    const env = loadCliEnvironment(
      {
        STRANGLER_CONFIG: CONFIG,
        STRANGLER_MONOLITH_URL: urls.monolith,
        STRANGLER_USERS_SERVICE_URL: usersUrl,
        STRANGLER_CATALOG_SERVICE_URL: urls.catalog,
        STRANGLER_TOOLKIT_DATABASE_URL: urls.toolkit,
      },
      dir,
      __dirname,
      false,
    );
    const code = await runParityHttpCommand(args, env, {
      out: (t) => void (captured.out += t),
      err: (t) => void (captured.err += t),
    });
    return { code, ...captured };
  }

  const junitOf = (file: string) =>
    new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "",
      htmlEntities: true,
      isArray: (name) => name === "testsuite" || name === "testcase",
    }).parse(fs.readFileSync(file, "utf8")) as {
      testsuites: {
        tests: string;
        failures: string;
        errors: string;
        skipped: string;
        testsuite: Array<{
          name: string;
          failures: string;
          testcase: Array<{ name: string; failure?: { message: string } }>;
        }>;
      };
    };

  it("passes the committed corpus against the seeded apps, writes sent as dry runs and nothing kept", async () => {
    const usersBefore = await monolithPrisma.user.count();
    const junit = path.join(dir, "parity.xml");
    const { code, out } = await parityHttp(urls.users, ["--junit", junit, "--json"]);
    const report = httpParityReportSchema.parse(JSON.parse(out));
    const failures = report.cases.filter((c) => c.outcome !== "passed");
    expect(failures).toEqual([]);
    expect(code).toBe(0);
    expect(report.corpus).toBe(CORPUS);
    expect(report.learntNoise).toBe("used");
    expect(report.counts).toMatchObject({ passed: report.cases.length, failed: 0, skipped: 0, errors: 0 });
    expect(new Set(report.cases.map((c) => c.routeId))).toEqual(
      new Set([
        "users-list",
        "users-get",
        "users-create",
        "users-update",
        "users-delete",
        "products-list",
        "products-get",
      ]),
    );
    for (const write of report.cases.filter((c) => c.dryRun))
      expect([write.answers.legacy?.dryRunConfirmed, write.answers.service?.dryRunConfirmed]).toEqual([true, true]);
    expect(report.warnings).toEqual([]);
    // Dry runs: the create, the rename and the delete left the monolith's users as they were.
    expect(await monolithPrisma.user.count()).toBe(usersBefore);
    expect(
      (await monolithPrisma.user.findUniqueOrThrow({ where: { id: "a121119a-0af0-4d49-8391-c51a0fdf14a7" } })).name,
    ).toBe("Rafael Singh");
    expect(junitOf(junit).testsuites).toMatchObject({ tests: String(report.cases.length), failures: "0", errors: "0" });
  });

  it("fails with exit 1 naming /name when the users service upper-cases last names, and the JUnit file counts the same", async () => {
    const junit = path.join(dir, "reports", "parity.xml");
    const text = await parityHttp(urls.usersUppercase, ["--junit", junit]);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(
      /FAIL +GET \/api\/users\/0397e89a-23ab-4e96-a335-022e666328e4[\s\S]*?\/name value: legacy "Lara Haddad", users-service "Lara HADDAD"/,
    );
    const report = httpParityReportSchema.parse(JSON.parse((await parityHttp(urls.usersUppercase, ["--json"])).out));
    const failed = report.cases.filter((c) => c.outcome === "failed");
    expect(failed.map((c) => c.file).sort()).toEqual(
      [
        "users/create.yaml",
        "users/get-by-id.yaml",
        "users/list.yaml",
        "users/search-by-name.yaml",
        "users/update.yaml",
      ].sort(),
    );
    for (const c of failed) for (const d of c.differences) expect(d.path).toMatch(/^(\/data\/\d+)?\/name$/);
    expect(report.cases.filter((c) => c.service === "catalog-service").every((c) => c.outcome === "passed")).toBe(true);

    const xml = junitOf(junit).testsuites;
    expect(xml.failures).toBe(String(failed.length));
    expect(xml.tests).toBe(String(report.cases.length));
    const suiteFailures = xml.testsuite.reduce((sum, suite) => sum + Number(suite.failures), 0);
    expect(suiteFailures).toBe(failed.length);
    const get = xml.testsuite.find((s) => s.name === "users-service users-get");
    expect(get?.testcase.find((t) => t.name === "user by id")?.failure?.message).toBe("differs at /name (value)");
  });
});
