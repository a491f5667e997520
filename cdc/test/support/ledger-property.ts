import fc from "fast-check";
import type { MigrationConfig } from "@strangler/migration-config";
import type { Client } from "pg";
import { eventually } from "./embedded-source-fixture";
import { type LedgerValueOptions, ledgerTransactions, runLedgerTransactions } from "./ledger-operations";
import type { LedgerScenario } from "./ledger-scenarios";
import { deadLetters, ledgerDifferences } from "./ledger-schema";

/**
 * How long and with what seed the property runs: `STRANGLER_PROPERTY_RUNS` sequences (default as
 * given by the test), `STRANGLER_PROPERTY_SEED` (and `STRANGLER_PROPERTY_PATH`) to replay a failure
 * fast-check printed. `npm run test:property` runs a longer one.
 */
export function propertySettings(defaultRuns: number): { numRuns: number; seed?: number; path?: string } {
  const runs = Number(process.env.STRANGLER_PROPERTY_RUNS ?? defaultRuns);
  const seed = process.env.STRANGLER_PROPERTY_SEED;
  const path = process.env.STRANGLER_PROPERTY_PATH;
  return {
    numRuns: Number.isInteger(runs) && runs > 0 ? runs : defaultRuns,
    ...(seed ? { seed: Number(seed) } : {}),
    ...(path ? { path } : {}),
  };
}

export interface LedgerPropertyOptions {
  config: MigrationConfig;
  source: Client;
  target: Client;
  runs: number;
  /** Per sequence: how long the target may take to equal the source after the sequence's marker arrived. */
  syncTimeoutMs: number;
  values: LedgerValueOptions;
  /** Appended to a failure: what the stream reports (its status), to tell a dropped event from a wrong one. */
  describe?: () => unknown;
}

export interface LedgerPropertyReport {
  sequences: number;
  transactions: number;
  operations: number;
  committed: number;
  seed: number | undefined;
}

let marker = 0;

/** Empties the source tables (the TRUNCATE flows through the stream) and forgets earlier dead letters, so each check judges its own events. */
async function resetLedger(options: Pick<LedgerPropertyOptions, "source" | "target">): Promise<void> {
  await options.source.query("TRUNCATE entries, accounts, links");
  await options.target.query(
    "DO $$ BEGIN IF to_regclass('strangler_cdc.dead_letters') IS NOT NULL THEN DELETE FROM strangler_cdc.dead_letters; END IF; END $$",
  );
}

/** What a sync check needs: the config, both clients, the wait, and the stream's status for a failure message. */
export type LedgerSyncOptions = Pick<
  LedgerPropertyOptions,
  "config" | "source" | "target" | "syncTimeoutMs" | "describe"
>;

/**
 * Writes a marker row and waits until the stream has brought it (in source order on the embedded
 * transport; on Debezium another topic, so equality is then awaited as well); throws, naming every
 * difference, the dead letters and the stream's status, unless the target equals the source through
 * the mapping and nothing was dead-lettered or lost a conflict.
 */
export async function expectLedgerInSync(options: LedgerSyncOptions, what: string): Promise<void> {
  const { source, target, config } = options;
  marker += 1;
  const mine = marker;
  await source.query("INSERT INTO markers (id) VALUES ($1)", [mine]);
  await eventually(
    `marker ${mine} in the target`,
    async () => (await target.query("SELECT 1 FROM ledger_markers WHERE marker_id = $1", [mine])).rowCount === 1,
    options.syncTimeoutMs,
  );
  let differences: string[] = [];
  await eventually(
    "the target equal to the source",
    async () => {
      differences = await ledgerDifferences(config, source, target);
      return differences.length === 0;
    },
    options.syncTimeoutMs,
  ).catch(() => undefined);
  const letters = await deadLetters(target);
  const context = `\ndead letters: ${letters.length === 0 ? "none" : letters.slice(0, 10).join("\n")}\nstream: ${JSON.stringify(options.describe?.() ?? null)}`;
  if (differences.length > 0)
    throw new Error(
      `the target differs from the source after ${what}:\n${differences.slice(0, 20).join("\n")}${context}`,
    );
  if (letters.length > 0) throw new Error(`events were dead-lettered that could have been applied (${what})${context}`);
}

/**
 * The property: after any sequence of write transactions on the ledger source (started from empty
 * tables, by a TRUNCATE that flows through the stream too), the target equals the source through the
 * mapping, key by key and value by value, and nothing was dead-lettered or lost a conflict.
 */
export async function checkLedgerProperty(options: LedgerPropertyOptions): Promise<LedgerPropertyReport> {
  const { source } = options;
  const settings = propertySettings(options.runs);
  const report: LedgerPropertyReport = {
    sequences: 0,
    transactions: 0,
    operations: 0,
    committed: 0,
    seed: settings.seed,
  };
  const property = fc.asyncProperty(ledgerTransactions(6, options.values), async (transactions) => {
    await resetLedger(options);
    report.committed += await runLedgerTransactions(source, transactions);
    report.transactions += transactions.length;
    report.operations += transactions.reduce((n, t) => n + t.length, 0);
    await expectLedgerInSync(options, `${transactions.length} transactions`);
    report.sequences += 1;
  });
  await fc.assert(property, {
    numRuns: settings.numRuns,
    endOnFailure: true,
    ...(settings.seed === undefined ? {} : { seed: settings.seed }),
    ...(settings.path ? { path: settings.path } : {}),
  });
  return report;
}

/** Runs a named scenario from empty tables (each transaction must succeed) and expects the target in sync after each transaction. */
export async function checkLedgerScenario(options: LedgerSyncOptions, scenario: LedgerScenario): Promise<void> {
  await resetLedger(options);
  for (const [i, transaction] of scenario.transactions.entries()) {
    await options.source.query("BEGIN");
    try {
      for (const sql of transaction) await options.source.query(sql);
      await options.source.query("COMMIT");
    } catch (error) {
      await options.source.query("ROLLBACK");
      throw error;
    }
    await expectLedgerInSync(options, `transaction ${i + 1} of "${scenario.name}"`);
  }
}
