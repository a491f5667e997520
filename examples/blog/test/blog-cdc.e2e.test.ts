import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadMigrationConfig } from "@strangler/migration-config";
import pino from "pino";
import { freeLoopbackPort } from "@strangler/stack";
import type { Client } from "pg";
import { sinkReplicationOrigin } from "../../../cdc/src/sink";
import { cdcSlotName, forwardDirection } from "../../../cdc/src/stream/cdc-stream";
import {
  connect,
  dropReplicationOrigin,
  dropSlotsWithPublications,
  eventually,
} from "../../../cdc/test/support/embedded-source-fixture";
import { createPgParityRunStore } from "../../../libs/toolkit-store/src";
import { collectCdcStatus, compareByChecksum, runDataParity } from "../../../migration-plan/src";
import { createEmptyTestDatabase, type TestDatabase } from "../../../stack/src/testing/test-database";
import { createPrismaClient, type PrismaClient } from "../src";
import { createBlogDatabase } from "./support/blog-database";
import { startTsProcess, type RunningProcess } from "./support/child-process";

const CONFIG_FILE = path.join(__dirname, "..", "strangler.config.yaml");
const CDC_MAIN = path.join(__dirname, "..", "..", "..", "cdc", "src", "main.ts");

/** Every row of a table, ordered by its key, as PostgreSQL prints the values: compared key by key. */
async function rows(client: Client, table: string, key: string[]): Promise<string[]> {
  const quoted = key.map((column) => `"${column}"`).join(", ");
  const result = await client.query<{ row: string }>(`SELECT (t.*)::text AS row FROM "${table}" t ORDER BY ${quoted}`);
  return result.rows.map((r) => r.row);
}

// CDC on the blog, driven by examples/blog/strangler.config.yaml alone: Prisma's default naming
// ("User", "createdAt") and the join table "_PostToTag" (A, B) with a unique index and no primary
// key. Snapshot, then live inserts, updates and deletes, compared key by key.
describe("CDC on the blog, driven by its migration config (e2e)", () => {
  let legacy: TestDatabase;
  let service: TestDatabase;
  let legacyClient: Client;
  let serviceClient: Client;
  let prisma: PrismaClient;
  let cdc: RunningProcess | undefined;
  let cdcUrl: string;
  let configEnv: Record<string, string>;
  const dir = mkdtempSync(path.join(os.tmpdir(), "strangler-blog-cdc-"));

  const same = async (table: string, key: string[]) => {
    const source = await rows(legacyClient, table, key);
    return JSON.stringify(source) === JSON.stringify(await rows(serviceClient, table, key));
  };
  const inSync = (what: string) =>
    eventually(
      what,
      async () =>
        (await same("User", ["id"])) &&
        (await same("Post", ["id"])) &&
        (await same("Tag", ["id"])) &&
        (await same("_PostToTag", ["A", "B"])),
      30_000,
    );

  beforeAll(async () => {
    [legacy, service] = await Promise.all([
      createBlogDatabase("blog_cdc_legacy"),
      createBlogDatabase("blog_cdc_service"),
    ]);
    [legacyClient, serviceClient] = await Promise.all([connect(legacy.url), connect(service.url)]);
    prisma = createPrismaClient(legacy.url);
    for (let i = 1; i <= 5; i += 1) {
      await prisma.user.create({
        data: {
          email: `u${i}@blog.test`,
          name: i % 2 ? `User ${i}` : null,
          posts: {
            create: [
              {
                title: `Post ${i}`,
                published: true,
                tags: {
                  connectOrCreate: [
                    { where: { name: "seed" }, create: { name: "seed" } },
                    { where: { name: `t${i}` }, create: { name: `t${i}` } },
                  ],
                },
              },
            ],
          },
        },
      });
    }
    const port = await freeLoopbackPort();
    cdcUrl = `http://127.0.0.1:${port}`;
    configEnv = {
      BLOG_LEGACY_DATABASE_URL: legacy.url,
      BLOG_SERVICE_DATABASE_URL: service.url,
      BLOG_CDC_PORT: String(port),
    };
  }, 120_000);

  afterAll(async () => {
    await cdc?.stop().catch(() => undefined);
    const config = loadMigrationConfig(CONFIG_FILE, configEnv);
    await dropSlotsWithPublications(legacyClient, [cdcSlotName("blog-service")]).catch(() => undefined);
    await dropReplicationOrigin(serviceClient, sinkReplicationOrigin(forwardDirection(config, "blog-service"))).catch(
      () => undefined,
    );
    await prisma?.$disconnect();
    await Promise.all([legacyClient?.end(), serviceClient?.end()]);
    await Promise.all([legacy?.drop(), service?.drop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a table name that is not in the catalog, naming the path and the closest name", async () => {
    const typo = path.join(dir, "strangler.config.yaml");
    const text = readFileSync(CONFIG_FILE, "utf8");
    expect(text).toMatch(/source: User,/);
    writeFileSync(typo, text.replace("source: User,", "source: Usr,"));
    const wrong = startTsProcess(CDC_MAIN, {
      ...configEnv,
      STRANGLER_CONFIG: typo,
      STRANGLER_CDC_PORT: configEnv.BLOG_CDC_PORT as string,
      LOG_LEVEL: "info",
    });
    try {
      // Its log is JSON lines: quotes inside a message are escaped.
      const output = () => wrong.output().replace(/\\"/g, '"');
      await eventually(
        "the CDC process to refuse the typo",
        async () => wrong.proc.exitCode !== null || /did you mean "User"/.test(output()),
        60_000,
      );
      expect(output()).toMatch(/services\[0\]\.data\.tables\[0\]\.source: no table "Usr".*did you mean "User"/);
    } finally {
      await wrong.stop();
    }
  });

  it('copies the snapshot, then live inserts, updates and deletes of "User" and "_PostToTag", key by key', async () => {
    cdc = startTsProcess(CDC_MAIN, {
      ...configEnv,
      STRANGLER_CONFIG: CONFIG_FILE,
      STRANGLER_CDC_PORT: configEnv.BLOG_CDC_PORT as string,
      LOG_LEVEL: "info",
    });
    await eventually(
      "the CDC process to be ready",
      async () =>
        (await fetch(`${cdcUrl}/readyz`).then(
          (res) => res.status,
          () => 0,
        )) === 200,
      60_000,
    );
    await inSync("the snapshot");
    expect(await rows(serviceClient, "_PostToTag", ["A", "B"])).toHaveLength(10);

    const added = await prisma.user.create({
      data: {
        email: "new@blog.test",
        name: "New",
        posts: { create: [{ title: "Fresh", tags: { connect: [{ name: "seed" }] } }] },
      },
    });
    await prisma.user.update({ where: { id: 1 }, data: { name: "Renamed", email: "renamed@blog.test" } });
    const first = await prisma.post.findFirstOrThrow({ where: { authorId: 1 } });
    await prisma.post.update({
      where: { id: first.id },
      data: {
        tags: {
          disconnect: [{ name: "seed" }],
          connectOrCreate: [{ where: { name: "live" }, create: { name: "live" } }],
        },
      },
    });
    await legacyClient.query(
      `UPDATE "_PostToTag" SET "B" = (SELECT id FROM "Tag" WHERE name = 't2') WHERE "A" = (SELECT id FROM "Post" WHERE title = 'Post 3') AND "B" = (SELECT id FROM "Tag" WHERE name = 't3')`,
    );
    await prisma.post.deleteMany({ where: { authorId: 5 } });
    await prisma.user.delete({ where: { id: 5 } });
    await inSync("the live changes");

    const users = await serviceClient.query<{ id: number; email: string; name: string | null }>(
      `SELECT id, email, name FROM "User" WHERE id IN (1, 5, $1) ORDER BY id`,
      [added.id],
    );
    expect(users.rows).toEqual([
      { id: 1, email: "renamed@blog.test", name: "Renamed" },
      { id: added.id, email: "new@blog.test", name: "New" },
    ]);
  }, 180_000);

  it('finds with `parity data` a difference planted in "User" and a join row missing from "_PostToTag" (key from its unique index)', async () => {
    // Runs after the CDC test above: its process still streams, so the run is lag-aware.
    const toolkit = await createEmptyTestDatabase("blog_parity_toolkit");
    const store = createPgParityRunStore(toolkit.url, { logger: pino({ level: "silent" }) });
    const config = loadMigrationConfig(CONFIG_FILE, configEnv);
    const run = (mode: "full" | "checksum") =>
      runDataParity(
        { services: [], tables: [], mode, owner: "legacy", outDir: path.join(dir, "parity"), lagTimeoutMs: 20_000 },
        { config, store, readCdcStatus: () => collectCdcStatus(cdcUrl), checksum: compareByChecksum },
      );
    try {
      const equal = await run("full");
      expect(equal.lagAware).toBe(true);
      expect(equal.tables.map((t) => [t.legacyTable, t.equal])).toEqual([
        ["User", true],
        ["Post", true],
        ["Tag", true],
        ["_PostToTag", true],
      ]);
      expect(equal.tables.find((t) => t.legacyTable === "_PostToTag")?.keyColumns).toEqual(["A", "B"]);

      await serviceClient.query(`UPDATE "User" SET email = 'planted@blog.test' WHERE id = 2`);
      const missing = await serviceClient.query<{ a: string; b: string }>(
        `DELETE FROM "_PostToTag" WHERE ("A", "B") = (SELECT "A", "B" FROM "_PostToTag" ORDER BY "A", "B" LIMIT 1) RETURNING "A"::text AS a, "B"::text AS b`,
      );
      for (const mode of ["full", "checksum"] as const) {
        const found = await run(mode);
        const user = found.tables.find((t) => t.legacyTable === "User");
        const join = found.tables.find((t) => t.legacyTable === "_PostToTag");
        expect(user).toMatchObject({
          counts: { mismatched: 1, onlyInLegacy: 0, onlyInService: 0 },
          columns: { email: 1 },
        });
        expect(join).toMatchObject({ counts: { mismatched: 0, onlyInLegacy: 1, onlyInService: 0 } });
        const keys = readFileSync(
          found.files.find((f) => f.kind === "keys" && f.table === "_PostToTag")?.path as string,
          "utf8",
        );
        expect(keys.trim().split("\n")).toEqual([
          "kind,A,B,columns",
          `only_in_legacy,${missing.rows[0]?.a},${missing.rows[0]?.b},`,
        ]);
      }
    } finally {
      await store.close();
      await toolkit.drop();
    }
  }, 180_000);
});
