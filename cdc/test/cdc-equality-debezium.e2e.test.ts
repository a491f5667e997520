import type { MigrationConfig } from "@strangler/migration-config";
import type { Client } from "pg";
import { type TestDatabase, createEmptyTestDatabase } from "../../stack/src/testing/test-database";
import { type TestKafka, dropReplicationSlots, startTestKafka } from "../../stack/src/testing/test-kafka";
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
import { type LedgerSyncOptions, checkLedgerProperty, checkLedgerScenario } from "./support/ledger-property";
import { LEDGER_SCENARIOS } from "./support/ledger-scenarios";
import { LEDGER_SOURCE_DDL, LEDGER_SOURCE_TABLES, ledgerConfig, ledgerTargetDdl } from "./support/ledger-schema";

// Equality on the Debezium transport: the same named scenarios and random write sequences as the
// embedded test, through a real Debezium connector, Kafka broker and the kafkajs consumer. The target
// has no foreign key between the tables (each table is its own topic: no order across tables), and
// the sequences leave out what Debezium's connector cannot carry (ledger-operations.ts).
const ORIGIN = uniqueName("strangler_sink_ledger_dbz");
/** Sequences in `npm test`; `npm run test:property` runs more (STRANGLER_PROPERTY_RUNS). */
const DEFAULT_RUNS = 25;

let kafka: TestKafka;
let source: TestDatabase;
let target: TestDatabase;
let sourceClient: Client;
let targetClient: Client;
let config: MigrationConfig;
let stream: CdcStream | undefined;
const names = connectorNames("dbz_ledger");

beforeAll(async () => {
  kafka = await startTestKafka();
  [source, target] = await Promise.all([createEmptyTestDatabase("ledger"), createEmptyTestDatabase("ledger_service")]);
  [sourceClient, targetClient] = await Promise.all([connect(source.url), connect(target.url)]);
  await sourceClient.query(LEDGER_SOURCE_DDL);
  await targetClient.query(ledgerTargetDdl({ foreignKey: false }));
  config = ledgerConfig({
    serviceName: "ledger-service",
    sourceUrl: source.url,
    targetUrl: target.url,
    transport: "debezium",
    brokers: kafka.brokers.join(","),
    connectUrl: kafka.connectUrl,
  });
  const tables = LEDGER_SOURCE_TABLES.map((table) => `public.${table}`);
  await kafka.registerConnector("users-service.json", {
    name: names.name,
    "database.dbname": source.name,
    "topic.prefix": names.topicPrefix,
    "slot.name": names.slot,
    "publication.name": names.slot,
    "table.include.list": tables.join(","),
    "replica.identity.autoset.values": tables.map((table) => `${table}:FULL`).join(","),
    // The links table has no primary key: its messages are keyed by (a, b), as the generated connector would.
    "message.key.columns": "public.links:a,b",
    "poll.interval.ms": "50",
  });
  stream = createDebeziumCdcStream(
    config,
    "ledger-service",
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
}, 120_000);

const sync = (): LedgerSyncOptions => ({
  config,
  source: sourceClient,
  target: targetClient,
  syncTimeoutMs: 30_000,
  describe: () => stream?.status(),
});

it.each(LEDGER_SCENARIOS.map((scenario) => [scenario.name, scenario] as const))(
  "%s",
  async (_name, scenario) => {
    await checkLedgerScenario(sync(), scenario);
  },
  120_000,
);

it("ends every random sequence of writes (edge values, key changes, swaps, chains, cascades, truncates) with the target equal to the source", async () => {
  const report = await checkLedgerProperty({
    ...sync(),
    runs: DEFAULT_RUNS,
    values: { onlyWhatDebeziumCarries: true },
  });
  process.stdout.write(`debezium property: ${JSON.stringify(report)}\n`);
  expect(report.sequences).toBeGreaterThanOrEqual(1);
  expect(stream?.status()).toMatchObject({ phase: "streaming", deadLettered: 0, invalid: 0 });
}, 600_000);
