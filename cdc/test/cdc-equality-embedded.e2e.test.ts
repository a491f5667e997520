import type { MigrationConfig } from "@strangler/migration-config";
import type { Client } from "pg";
import { type TestDatabase, createEmptyTestDatabase } from "../../stack/src/testing/test-database";
import { type CdcStream, createCdcStream } from "../src/stream/cdc-stream";
import {
  connect,
  dropReplicationOrigin,
  dropSlotsWithPublications,
  silentLogger,
  uniqueName,
} from "./support/embedded-source-fixture";
import { type LedgerSyncOptions, checkLedgerProperty, checkLedgerScenario } from "./support/ledger-property";
import { LEDGER_SCENARIOS } from "./support/ledger-scenarios";
import { LEDGER_SOURCE_DDL, ledgerConfig, ledgerTargetDdl } from "./support/ledger-schema";

// Equality on the embedded transport, on the ledger fixture: random write sequences (property-based)
// and named scenarios (key changes, swaps, chains, edge timestamps) end with the target equal to the
// source key by key, with nothing dead-lettered; once into a target without foreign keys and once
// into one whose entries reference their account (ON UPDATE CASCADE, as in the source).
/** Sequences in `npm test`; `npm run test:property` runs more (STRANGLER_PROPERTY_RUNS). */
const DEFAULT_RUNS = 40;

interface Pair {
  source: TestDatabase;
  target: TestDatabase;
  sourceClient: Client;
  targetClient: Client;
  config: MigrationConfig;
  stream: CdcStream;
  slot: string;
  origin: string;
}

async function startPair(foreignKey: boolean): Promise<Pair> {
  const [source, target] = await Promise.all([
    createEmptyTestDatabase("ledger"),
    createEmptyTestDatabase("ledger_service"),
  ]);
  const [sourceClient, targetClient] = await Promise.all([connect(source.url), connect(target.url)]);
  await sourceClient.query(LEDGER_SOURCE_DDL);
  await targetClient.query(ledgerTargetDdl({ foreignKey }));
  const config = ledgerConfig({
    serviceName: "ledger-service",
    sourceUrl: source.url,
    targetUrl: target.url,
    transport: "embedded",
  });
  const slot = uniqueName("strangler_test_ledger");
  const origin = uniqueName("strangler_sink_ledger");
  const stream = createCdcStream(
    config,
    "ledger-service",
    { logger: silentLogger },
    { slotName: slot, publicationName: slot, replicationOrigin: origin, heartbeatMs: 200 },
  );
  await stream.start();
  return { source, target, sourceClient, targetClient, config, stream, slot, origin };
}

async function stopPair(pair: Pair | undefined): Promise<void> {
  if (!pair) return;
  await pair.stream.stop();
  await dropSlotsWithPublications(pair.sourceClient, [pair.slot]).catch(() => undefined);
  await dropReplicationOrigin(pair.targetClient, pair.origin).catch(() => undefined);
  await Promise.all([pair.sourceClient.end(), pair.targetClient.end()]);
  await Promise.all([pair.source.drop(), pair.target.drop()]);
}

const sync = (pair: Pair): LedgerSyncOptions => ({
  config: pair.config,
  source: pair.sourceClient,
  target: pair.targetClient,
  syncTimeoutMs: 10_000,
  describe: () => pair.stream.status(),
});

describe.each([
  ["without foreign keys in the target", false],
  ["with the entries' foreign key (ON UPDATE CASCADE) in the target", true],
])("the embedded transport into a ledger target %s", (_label, foreignKey) => {
  let pair: Pair | undefined;

  beforeAll(async () => {
    pair = await startPair(foreignKey);
  }, 60_000);

  afterAll(() => stopPair(pair), 60_000);

  it.each(LEDGER_SCENARIOS.map((scenario) => [scenario.name, scenario] as const))(
    "%s",
    async (_name, scenario) => {
      await checkLedgerScenario(sync(pair as Pair), scenario);
    },
    60_000,
  );

  it("ends every random sequence of writes (edge values, key changes, swaps, chains, cascades, truncates) with the target equal to the source", async () => {
    const current = pair as Pair;
    const report = await checkLedgerProperty({
      ...sync(current),
      runs: DEFAULT_RUNS,
      values: { onlyWhatDebeziumCarries: false },
    });
    process.stdout.write(
      `embedded property (${foreignKey ? "target with foreign key" : "target without foreign keys"}): ${JSON.stringify(report)}\n`,
    );
    expect(report.sequences).toBeGreaterThanOrEqual(1);
    expect(current.stream.status()).toMatchObject({ phase: "streaming", deadLettered: 0 });
  }, 300_000);
});
