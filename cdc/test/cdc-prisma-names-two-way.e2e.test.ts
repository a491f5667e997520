import type { Client } from "pg";
import { type TestDatabase, createEmptyTestDatabase } from "../../stack/src/testing/test-database";
import { type CdcStream, createCdcStream, createReverseCdcStream } from "../src/stream/cdc-stream";
import {
  connect,
  dropReplicationOrigin,
  dropSlotsWithPublications,
  eventually,
  silentLogger,
  uniqueName,
} from "./support/embedded-source-fixture";
import { insertWide, PRISMA_STYLE_DDL, prismaStyleConfig, prismaStyleDifferences } from "./support/prisma-style-schema";

// Two-way sync on Prisma's default naming (embedded transport): writes in the service database
// flow back through the inverse mappings — the composite key of "_PostToTag" and the copy-all
// sales."Wide", whose service-only column stays in the service.

let source: TestDatabase;
let target: TestDatabase;
let sourceClient: Client;
let targetClient: Client;
let forward: CdcStream | undefined;
let reverse: CdcStream | undefined;
const slots = [uniqueName("strangler_test_prisma_fwd"), uniqueName("strangler_test_prisma_rev")] as const;
const origins = [uniqueName("strangler_sink_prisma_fwd"), uniqueName("strangler_sink_prisma_rev")] as const;

const synced = async (): Promise<void> => {
  let last: string[] = [];
  await eventually(
    "both sides equal key by key",
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
    createEmptyTestDatabase("prisma_2way"),
    createEmptyTestDatabase("prisma_2way_service"),
  ]);
  [sourceClient, targetClient] = await Promise.all([connect(source.url), connect(target.url)]);
  await Promise.all([sourceClient.query(PRISMA_STYLE_DDL), targetClient.query(PRISMA_STYLE_DDL)]);
  await targetClient.query(`ALTER TABLE sales."Wide" ADD COLUMN "serviceOnly" integer NOT NULL DEFAULT 7`);
  await sourceClient.query(
    `INSERT INTO "User" (email, "displayName") SELECT 'u' || i || '@example.test', 'User ' || i FROM generate_series(1, 5) AS i`,
  );
  await sourceClient.query(
    `INSERT INTO "_PostToTag" ("A", "B") SELECT p, t FROM generate_series(1, 2) AS p, generate_series(1, 2) AS t`,
  );
  for (let id = 1; id <= 3; id++) await insertWide(sourceClient, id);
  const config = prismaStyleConfig({ sourceUrl: source.url, targetUrl: target.url, reverse: true });
  forward = createCdcStream(
    config,
    "blog-service",
    { logger: silentLogger },
    { slotName: slots[0], publicationName: slots[0], replicationOrigin: origins[0], heartbeatMs: 200 },
  );
  reverse = createReverseCdcStream(
    config,
    "blog-service",
    { logger: silentLogger },
    { slotName: slots[1], publicationName: slots[1], replicationOrigin: origins[1], heartbeatMs: 200 },
  );
  await forward.start();
  await reverse.start();
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([forward?.stop(), reverse?.stop()]);
  await dropSlotsWithPublications(sourceClient, [slots[0]]).catch(() => undefined);
  await dropSlotsWithPublications(targetClient, [slots[1]]).catch(() => undefined);
  for (const origin of origins) await dropReplicationOrigin(targetClient, origin).catch(() => undefined);
  await Promise.all([sourceClient.end(), targetClient.end()]);
  await Promise.all([source.drop(), target.drop()]);
}, 60_000);

it("brings service-side writes back to the legacy tables: renamed columns, the composite key, copy-all without the service's own column", async () => {
  await synced();
  await targetClient.query(
    `INSERT INTO "User" (id, email, "displayName", "createdAt") VALUES (900, 'svc@example.test', 'From the service', '2026-06-01T00:00:00Z')`,
  );
  await targetClient.query(`UPDATE "User" SET "displayName" = 'Changed in the service' WHERE id = 1`);
  await targetClient.query(`INSERT INTO "_PostToTag" ("A", "B") VALUES (8, 8)`);
  await targetClient.query(`DELETE FROM "_PostToTag" WHERE "A" = 1 AND "B" = 2`);
  await targetClient.query(`UPDATE "_PostToTag" SET "A" = 5 WHERE "A" = 2 AND "B" = 1`);
  await targetClient.query(`UPDATE sales."Wide" SET note = 'service note', "serviceOnly" = 99 WHERE id = 1`);
  await insertWide(targetClient, 50);
  await synced();
  expect((await sourceClient.query(`SELECT "displayName" FROM "User" WHERE id IN (1, 900) ORDER BY id`)).rows).toEqual([
    { displayName: "Changed in the service" },
    { displayName: "From the service" },
  ]);
  expect((await sourceClient.query(`SELECT "A", "B" FROM "_PostToTag" ORDER BY "A", "B"`)).rows).toEqual([
    { A: 1, B: 1 },
    { A: 2, B: 2 },
    { A: 5, B: 1 },
    { A: 8, B: 8 },
  ]);
  expect((await sourceClient.query(`SELECT note FROM sales."Wide" WHERE id = 1`)).rows).toEqual([
    { note: "service note" },
  ]);
  expect(forward?.status()).toMatchObject({ phase: "streaming", deadLettered: 0 });
  expect(reverse?.status()).toMatchObject({ phase: "streaming", deadLettered: 0 });
}, 60_000);
