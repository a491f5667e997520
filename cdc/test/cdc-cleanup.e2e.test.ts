import { readFileSync } from "node:fs";
import path from "node:path";
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
import { PRISMA_STYLE_DDL, insertWide, prismaStyleConfig, prismaStyleDifferences } from "./support/prisma-style-schema";

// The README's removal SQL (docs/remove-cdc.sql, "Use Strangler on your own monolith"), run exactly
// as written after a two-way stream on a neutral fixture schema: nothing of the toolkit may remain in
// either database — no slot, publication, replication origin, strangler_cdc schema, and every
// table's replica identity back to default — while the data stays.
const REMOVE_CDC_SQL = readFileSync(path.join(__dirname, "..", "..", "docs", "remove-cdc.sql"), "utf8");
/** The fixture's tables (PRISMA_STYLE_DDL) that the config maps, as regclass text. */
const MAPPED_TABLES = ['"User"', '"_PostToTag"', 'sales."Wide"'];

let legacy: TestDatabase;
let service: TestDatabase;
let legacyClient: Client;
let serviceClient: Client;
let forward: CdcStream | undefined;
let reverse: CdcStream | undefined;
// Slots and publications are named like the toolkit's (`strangler_…`) but unique to this run; the
// origins share a prefix unique to this run, which the script is narrowed to (origins are
// cluster-wide, and other test files' sinks use theirs at the same time).
const slots = [uniqueName("strangler_test_cleanup_fwd"), uniqueName("strangler_test_cleanup_rev")] as const;
const originPrefix = uniqueName("strangler_sink_cleanup");
const origins = [`${originPrefix}_fwd`, `${originPrefix}_rev`] as const;

/** Runs docs/remove-cdc.sql in one database, narrowed to this run's origins. */
async function removeCdc(client: Client): Promise<void> {
  await client.query(`SET strangler.origin_prefix = '${originPrefix}'`);
  await client.query(REMOVE_CDC_SQL);
}

interface Leftovers {
  slots: string[];
  publications: string[];
  schemas: string[];
  origins: string[];
  fullIdentity: string[];
}

/** What of the toolkit is in the database of `client` (origins: this run's, cluster-wide). */
async function leftovers(client: Client): Promise<Leftovers> {
  const names = async (sql: string, params: unknown[] = []): Promise<string[]> =>
    (await client.query<{ name: string }>(sql, params)).rows.map((row) => row.name).sort();
  return {
    slots: await names("SELECT slot_name AS name FROM pg_replication_slots WHERE database = current_database()"),
    publications: await names("SELECT pubname AS name FROM pg_publication"),
    schemas: await names("SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'strangler%'"),
    origins: await names("SELECT roname AS name FROM pg_replication_origin WHERE starts_with(roname, $1)", [
      originPrefix,
    ]),
    fullIdentity: await names(
      "SELECT oid::regclass::text AS name FROM pg_class WHERE relkind = 'r' AND relreplident <> 'd' AND relnamespace::regnamespace::text NOT IN ('pg_catalog', 'information_schema')",
    ),
  };
}

/** Until no session but `client`'s own is connected to its database (walsenders and sink pools linger a moment after stop). */
async function othersGone(client: Client): Promise<void> {
  await eventually("the stopped streams' sessions ended", async () => {
    const result = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    return result.rows[0]?.n === 0;
  });
}

beforeAll(async () => {
  [legacy, service] = await Promise.all([
    createEmptyTestDatabase("cleanup_legacy"),
    createEmptyTestDatabase("cleanup_service"),
  ]);
  [legacyClient, serviceClient] = await Promise.all([connect(legacy.url), connect(service.url)]);
  await Promise.all([legacyClient.query(PRISMA_STYLE_DDL), serviceClient.query(PRISMA_STYLE_DDL)]);
  await legacyClient.query(
    `INSERT INTO "User" (email, "displayName") SELECT 'u' || i || '@example.test', 'User ' || i FROM generate_series(1, 3) AS i`,
  );
  await legacyClient.query(`INSERT INTO "_PostToTag" ("A", "B") VALUES (1, 1), (1, 2)`);
  await insertWide(legacyClient, 1);
  const config = prismaStyleConfig({ sourceUrl: legacy.url, targetUrl: service.url, reverse: true });
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
  // Only what a failed test left behind: the removal SQL is what is under test.
  await Promise.allSettled([forward?.stop(), reverse?.stop()]);
  await dropSlotsWithPublications(legacyClient, [slots[0]]).catch(() => undefined);
  await dropSlotsWithPublications(serviceClient, [slots[1]]).catch(() => undefined);
  for (const origin of origins) await dropReplicationOrigin(legacyClient, origin).catch(() => undefined);
  await Promise.all([legacyClient.end(), serviceClient.end()]);
  await Promise.all([legacy.drop(), service.drop()]);
}, 60_000);

it("leaves slots, publications, the strangler_cdc schema, origins and replica identity FULL in both databases while it streams", async () => {
  await serviceClient.query(
    `INSERT INTO "User" (id, email, "displayName") VALUES (900, 'svc@example.test', 'From the service')`,
  );
  await eventually(
    "both sides equal key by key",
    async () => (await prismaStyleDifferences(legacyClient, serviceClient)).length === 0,
    20_000,
  );
  const [inLegacy, inService] = await Promise.all([leftovers(legacyClient), leftovers(serviceClient)]);
  expect(inLegacy).toEqual({
    slots: [slots[0]],
    publications: [slots[0]],
    schemas: ["strangler_cdc"],
    origins: [...origins],
    fullIdentity: [...MAPPED_TABLES].sort(),
  });
  expect(inService).toMatchObject({
    slots: [slots[1]],
    publications: [slots[1]],
    schemas: ["strangler_cdc"],
    fullIdentity: [...MAPPED_TABLES].sort(),
  });
}, 60_000);

it("refuses to run while a stream reads its slot, and changes nothing", async () => {
  await expect(removeCdc(legacyClient)).rejects.toThrow(`replication slot ${slots[0]} is in use`);
  expect(await leftovers(legacyClient)).toMatchObject({
    slots: [slots[0]],
    publications: [slots[0]],
    schemas: ["strangler_cdc"],
    origins: [...origins],
  });
});

it("removes everything of the toolkit from both databases once the streams are stopped, and keeps the data", async () => {
  await forward?.stop();
  await reverse?.stop();
  await Promise.all([othersGone(legacyClient), othersGone(serviceClient)]);
  const before = (await legacyClient.query(`SELECT id, email FROM "User" ORDER BY id`)).rows;

  await removeCdc(legacyClient);
  await removeCdc(serviceClient);

  const nothing: Leftovers = { slots: [], publications: [], schemas: [], origins: [], fullIdentity: [] };
  expect(await leftovers(legacyClient)).toEqual(nothing);
  expect(await leftovers(serviceClient)).toEqual(nothing);
  expect((await legacyClient.query(`SELECT id, email FROM "User" ORDER BY id`)).rows).toEqual(before);
  expect(before).toContainEqual({ id: 900, email: "svc@example.test" });
  // A second run finds nothing to do and does not fail.
  await removeCdc(legacyClient);
  expect(await leftovers(legacyClient)).toEqual(nothing);
}, 60_000);
