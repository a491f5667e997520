import type { Client } from "pg";
import { type TestDatabase, createEmptyTestDatabase } from "../../stack/src/testing/test-database";
import { TableMappingError } from "../src/mapping/table-mapping-error";
import { type CdcStream, createCdcStream } from "../src/stream/cdc-stream";
import {
  connect,
  dropReplicationOrigin,
  dropSlotsWithPublications,
  eventually,
  silentLogger,
  uniqueName,
} from "./support/embedded-source-fixture";
import { insertWide, PRISMA_STYLE_DDL, prismaStyleConfig, prismaStyleDifferences } from "./support/prisma-style-schema";

// The embedded transport on names as Prisma writes them: "User" / "createdAt", the join table
// "_PostToTag" keyed by (A, B) without a primary key, and sales."Wide" copied without listing a
// column. Snapshot, live inserts, updates, deletes and key changes end equal key by key.

let source: TestDatabase;
let target: TestDatabase;
let sourceClient: Client;
let targetClient: Client;
let stream: CdcStream | undefined;
const slot = uniqueName("strangler_test_prisma");
const origin = uniqueName("strangler_sink_prisma");

const synced = async (): Promise<void> => {
  let last: string[] = [];
  await eventually(
    "the target equal to the source key by key",
    async () => {
      last = await prismaStyleDifferences(sourceClient, targetClient);
      return last.length === 0;
    },
    20_000,
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\n${last.slice(0, 10).join("\n")}`);
  });
};

beforeAll(async () => {
  [source, target] = await Promise.all([
    createEmptyTestDatabase("prisma_blog"),
    createEmptyTestDatabase("prisma_blog_service"),
  ]);
  [sourceClient, targetClient] = await Promise.all([connect(source.url), connect(target.url)]);
  await Promise.all([sourceClient.query(PRISMA_STYLE_DDL), targetClient.query(PRISMA_STYLE_DDL)]);
  await sourceClient.query(
    `INSERT INTO "User" (email, "displayName", "createdAt") SELECT 'u' || i || '@example.test', CASE WHEN i % 3 = 0 THEN NULL ELSE 'User ' || i END, '2026-01-01T00:00:00Z'::timestamptz + i * interval '1 hour' FROM generate_series(1, 20) AS i`,
  );
  await sourceClient.query(
    `INSERT INTO "_PostToTag" ("A", "B") SELECT p, t FROM generate_series(1, 5) AS p, generate_series(1, 4) AS t`,
  );
  for (let id = 1; id <= 12; id++) await insertWide(sourceClient, id, id % 4 === 0);
}, 60_000);

afterAll(async () => {
  await stream?.stop();
  await dropSlotsWithPublications(sourceClient, [slot]).catch(() => undefined);
  await dropReplicationOrigin(targetClient, origin).catch(() => undefined);
  await Promise.all([sourceClient.end(), targetClient.end()]);
  await Promise.all([source.drop(), target.drop()]);
}, 60_000);

describe("CDC on Prisma's default naming (embedded transport)", () => {
  it('refuses a config with a typo, naming the path and the closest name ("createdAt"), before touching the source', async () => {
    const typo = createCdcStream(
      prismaStyleConfig({ sourceUrl: source.url, targetUrl: target.url, createdAt: "createdat" }),
      "blog-service",
      { logger: silentLogger },
      { slotName: slot, publicationName: slot, replicationOrigin: origin },
    );
    const error = await typo.start().then(
      () => null,
      (e: unknown) => e,
    );
    await typo.stop();
    expect(error).toBeInstanceOf(TableMappingError);
    expect((error as Error).message).toContain(
      'services[0].data.tables[0].columns.createdat: no column "createdat" in the legacy database (blog)\'s table "User"; did you mean "createdAt"?',
    );
    expect((await sourceClient.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", [slot])).rowCount).toBe(
      0,
    );
  });

  it("refuses a table with neither primary key nor unique index on NOT NULL columns, saying what to add", async () => {
    const config = prismaStyleConfig({
      sourceUrl: source.url,
      targetUrl: target.url,
      extraTables: "\n        - { source: Log, target: Log }",
    });
    const noKey = createCdcStream(
      config,
      "blog-service",
      { logger: silentLogger },
      { slotName: slot, publicationName: slot, replicationOrigin: origin },
    );
    await expect(noKey.start()).rejects.toThrow(
      'services[0].data.tables[3].source: table "Log" in the legacy database (blog) has no primary key and no unique index on NOT NULL columns',
    );
    await noKey.stop();
  });

  it("copies the snapshot of all three tables equal key by key", async () => {
    stream = createCdcStream(
      prismaStyleConfig({ sourceUrl: source.url, targetUrl: target.url }),
      "blog-service",
      { logger: silentLogger },
      { slotName: slot, publicationName: slot, replicationOrigin: origin, heartbeatMs: 200 },
    );
    await stream.start();
    await synced();
    expect((await targetClient.query('SELECT count(*)::int AS n FROM "_PostToTag"')).rows[0]).toEqual({ n: 20 });
    expect((await targetClient.query('SELECT count(*)::int AS n FROM sales."Wide"')).rows[0]).toEqual({ n: 12 });
  }, 60_000);

  it("streams inserts, updates and deletes, key by key", async () => {
    await sourceClient.query(`INSERT INTO "User" (email, "displayName") VALUES ('new@example.test', 'New')`);
    await sourceClient.query(
      `UPDATE "User" SET "createdAt" = '1999-12-31T23:59:59.5Z', "displayName" = 'Renamed' WHERE id = 2`,
    );
    await sourceClient.query(`DELETE FROM "User" WHERE id = 3`);
    await sourceClient.query(`INSERT INTO "_PostToTag" ("A", "B") VALUES (6, 1), (6, 2)`);
    await sourceClient.query(`DELETE FROM "_PostToTag" WHERE "A" = 1 AND "B" = 1`);
    await insertWide(sourceClient, 13);
    await sourceClient.query(
      `UPDATE sales."Wide" SET doc = '{"changed": true}', tags = NULL, "Mixed Case" = 7, raw = '\\xdeadbeef' WHERE id = 1`,
    );
    await sourceClient.query(`DELETE FROM sales."Wide" WHERE id = 2`);
    await synced();
  }, 60_000);

  it("moves rows whose key changes: one column of a primary key, one column of a composite key, a chain of two rows in one transaction", async () => {
    await sourceClient.query(`UPDATE "User" SET id = 1000 WHERE id = 4`);
    await sourceClient.query(`UPDATE "_PostToTag" SET "B" = 9 WHERE "A" = 2 AND "B" = 2`);
    // A chain in one transaction: (3,3) moves away and (4,3) takes its key.
    await sourceClient.query(
      `BEGIN; UPDATE "_PostToTag" SET "A" = 7 WHERE "A" = 3 AND "B" = 3; UPDATE "_PostToTag" SET "A" = 3 WHERE "A" = 4 AND "B" = 3; COMMIT`,
    );
    await sourceClient.query(`UPDATE sales."Wide" SET id = 500 WHERE id = 5`);
    await synced();
    const keys = await targetClient.query<{ A: number; B: number }>(
      `SELECT "A", "B" FROM "_PostToTag" WHERE "A" = 2 ORDER BY "B"`,
    );
    expect(keys.rows).toEqual([
      { A: 2, B: 1 },
      { A: 2, B: 3 },
      { A: 2, B: 4 },
      { A: 2, B: 9 },
    ]);
    const positions = await targetClient.query<{ row_key: string }>(
      `SELECT row_key FROM strangler_cdc.row_positions WHERE target_table = '_PostToTag' AND row_key = '["2","9"]'`,
    );
    expect(positions.rowCount).toBe(1);
  }, 60_000);

  it("picks up a column added to a copied table later", async () => {
    await targetClient.query(`ALTER TABLE sales."Wide" ADD COLUMN "addedLater" text`);
    await sourceClient.query(`ALTER TABLE sales."Wide" ADD COLUMN "addedLater" text`);
    await sourceClient.query(`UPDATE sales."Wide" SET "addedLater" = 'x' || id WHERE id <= 3`);
    await insertWide(sourceClient, 14);
    await sourceClient.query(`UPDATE sales."Wide" SET "addedLater" = 'late' WHERE id = 14`);
    await synced();
    expect((await targetClient.query(`SELECT "addedLater" FROM sales."Wide" WHERE id = 14`)).rows).toEqual([
      { addedLater: "late" },
    ]);
    expect(stream?.status()).toMatchObject({ phase: "streaming", deadLettered: 0 });
  }, 60_000);

  it("applies a truncate of the composite-key table", async () => {
    await sourceClient.query(`TRUNCATE "_PostToTag"`);
    await sourceClient.query(`INSERT INTO "_PostToTag" ("A", "B") VALUES (1, 1)`);
    await synced();
    expect((await targetClient.query(`SELECT count(*)::int AS n FROM "_PostToTag"`)).rows[0]).toEqual({ n: 1 });
  }, 60_000);
});
