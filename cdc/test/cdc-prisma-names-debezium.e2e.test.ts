import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Client } from "pg";
import { type TestDatabase, createEmptyTestDatabase } from "../../stack/src/testing/test-database";
import { type TestKafka, dropReplicationSlots, startTestKafka } from "../../stack/src/testing/test-kafka";
import { connectorFileText, debeziumConnectors } from "../src/connectors";
import { createDebeziumCdcStream } from "../src/kafka-source/debezium-cdc-stream";
import type { CdcStream } from "../src/stream/cdc-stream";
import { connectorNames } from "./support/debezium-fixture";
import {
  connect,
  dropReplicationOrigin,
  eventually,
  silentLogger,
  uniqueName,
} from "./support/embedded-source-fixture";
import { insertWide, PRISMA_STYLE_DDL, prismaStyleConfig, prismaStyleDifferences } from "./support/prisma-style-schema";

// The Debezium transport on Prisma's default naming, through the connector the config generates
// (tables with their case, message.key.columns for the join table's (A, B)): a real connector,
// broker and the kafkajs consumer. Snapshot, live changes and key changes end equal key by key.
const ORIGIN = uniqueName("strangler_sink_prisma_dbz");

let kafka: TestKafka;
let source: TestDatabase;
let target: TestDatabase;
let sourceClient: Client;
let targetClient: Client;
let stream: CdcStream | undefined;
let dir: string;
const names = connectorNames("dbz_prisma");

const synced = async (): Promise<void> => {
  let last: string[] = [];
  await eventually(
    "the target equal to the source key by key",
    async () => {
      last = await prismaStyleDifferences(sourceClient, targetClient);
      return last.length === 0;
    },
    60_000,
  ).catch((error: unknown) => {
    throw new Error(
      `${(error as Error).message}\n${last.slice(0, 10).join("\n")}\n${JSON.stringify(stream?.status())}`,
    );
  });
};

beforeAll(async () => {
  kafka = await startTestKafka();
  [source, target] = await Promise.all([
    createEmptyTestDatabase("prisma_dbz"),
    createEmptyTestDatabase("prisma_dbz_service"),
  ]);
  [sourceClient, targetClient] = await Promise.all([connect(source.url), connect(target.url)]);
  await Promise.all([sourceClient.query(PRISMA_STYLE_DDL), targetClient.query(PRISMA_STYLE_DDL)]);
  await sourceClient.query(
    `INSERT INTO "User" (email, "displayName") SELECT 'u' || i || '@example.test', 'User ' || i FROM generate_series(1, 10) AS i`,
  );
  await sourceClient.query(
    `INSERT INTO "_PostToTag" ("A", "B") SELECT p, t FROM generate_series(1, 3) AS p, generate_series(1, 3) AS t`,
  );
  // Debezium's snapshot (JDBC) reads a BC date without its era (0044-03-15 BC arrives as 0044-03-15);
  // streamed changes carry it: the snapshot rows get an AD date, the live insert below a BC one.
  for (let id = 1; id <= 6; id++) await insertWide(sourceClient, id, id === 3, "2024-02-29");
  const config = prismaStyleConfig({
    sourceUrl: source.url,
    targetUrl: target.url,
    kafka: { brokers: kafka.brokers.join(","), connectUrl: kafka.connectUrl },
  });
  // The generated forward connector, as `npx strangler connectors` writes it, under this test's names.
  const [forward] = debeziumConnectors(config);
  if (!forward) throw new Error("no connector generated");
  expect(forward.connector.config["message.key.columns"]).toBe("public\\._PostToTag:A,B");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "prisma-connector-"));
  fs.writeFileSync(path.join(dir, forward.file), connectorFileText(forward.connector));
  await kafka.registerConnector(path.join(dir, forward.file), {
    name: names.name,
    "database.dbname": source.name,
    "topic.prefix": names.topicPrefix,
    "slot.name": names.slot,
    "publication.name": names.slot,
    "poll.interval.ms": "50",
  });
  stream = createDebeziumCdcStream(
    config,
    "blog-service",
    { logger: silentLogger },
    { topicPrefix: names.topicPrefix, groupId: `${names.name}-cdc`, replicationOrigin: ORIGIN },
  );
  await stream.start();
}, 240_000);

afterAll(async () => {
  await stream?.stop().catch(() => undefined);
  await kafka?.deleteConnector(names.name).catch(() => undefined);
  if (source) {
    await eventually(
      `slots of ${source.name} dropped`,
      async () => {
        await dropReplicationSlots(source.name);
        return (
          (await sourceClient.query("SELECT 1 FROM pg_replication_slots WHERE database = $1", [source.name]))
            .rowCount === 0
        );
      },
      30_000,
    ).catch(() => undefined);
  }
  await dropReplicationOrigin(targetClient, ORIGIN).catch(() => undefined);
  await Promise.all([sourceClient?.end(), targetClient?.end()]);
  await Promise.all([source?.drop(), target?.drop()]);
  await kafka?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 120_000);

it('syncs "User", _PostToTag (A, B) and sales."Wide" through Debezium: snapshot, live changes and key changes, key by key', async () => {
  await synced();
  await sourceClient.query(`INSERT INTO "User" (email, "displayName") VALUES ('new@example.test', NULL)`);
  await sourceClient.query(`UPDATE "User" SET "createdAt" = '2000-01-01T00:00:00.123456Z' WHERE id = 2`);
  await sourceClient.query(`DELETE FROM "User" WHERE id = 3`);
  await sourceClient.query(`UPDATE "User" SET id = 500 WHERE id = 4`);
  await sourceClient.query(`INSERT INTO "_PostToTag" ("A", "B") VALUES (9, 9)`);
  await sourceClient.query(`DELETE FROM "_PostToTag" WHERE "A" = 1 AND "B" = 1`);
  await sourceClient.query(`UPDATE "_PostToTag" SET "B" = 7 WHERE "A" = 2 AND "B" = 2`);
  await insertWide(sourceClient, 7);
  await sourceClient.query(`UPDATE sales."Wide" SET doc = '[1, "two"]', note = NULL WHERE id = 1`);
  await sourceClient.query(`DELETE FROM sales."Wide" WHERE id = 2`);
  await synced();
  expect((await targetClient.query(`SELECT "A", "B" FROM "_PostToTag" WHERE "A" = 2 ORDER BY "B"`)).rows).toEqual([
    { A: 2, B: 1 },
    { A: 2, B: 3 },
    { A: 2, B: 7 },
  ]);
  expect(stream?.status()).toMatchObject({ phase: "streaming", deadLettered: 0, invalid: 0 });
}, 180_000);
