import path from "node:path";
import type { MigrationConfig } from "@strangler/migration-config";
import { collectCdcStatus, compareByChecksum, formatParityRun, runDataParity } from "@strangler/migration-plan";
import type { ParityRunReport } from "@strangler/ops-contract";
import { createPgParityRunStore } from "@strangler/toolkit-store";
import pino from "pino";
import { waitUntil } from "./demo-cdc";

/** How long the demo waits for every CDC stream to finish its snapshot and stream. */
const STREAMING_TIMEOUT = 120_000;

/**
 * `strangler parity data` for every mapped table of the config, once every CDC stream streams: the
 * comparison goes through the config's mapping and waits out rows still in flight, so the demo
 * names no table or column. Returns the run and its text.
 */
export async function demoParity(
  migration: MigrationConfig,
  cdcUrl: string,
  home: string,
): Promise<{ run: ParityRunReport; text: string }> {
  const streaming = await waitUntil(
    async () => {
      try {
        const { streams } = await collectCdcStatus(cdcUrl);
        return streams.length > 0 && streams.every((stream) => stream.phase === "streaming");
      } catch {
        return false;
      }
    },
    STREAMING_TIMEOUT,
    250,
  );
  if (streaming === null)
    throw new Error(`demo: the CDC streams at ${cdcUrl} were not all streaming within ${STREAMING_TIMEOUT / 1000} s`);
  const database = migration.toolkit.database;
  if (!database) throw new Error("demo: the migration config has no toolkit.database for the parity runs");
  const store = createPgParityRunStore(database, { logger: pino({ level: "silent" }) });
  try {
    const run = await runDataParity(
      {
        services: [],
        tables: [],
        mode: "auto",
        owner: "legacy",
        outDir: path.join(home, "parity"),
        lagTimeoutMs: 30_000,
      },
      { config: migration, store, readCdcStatus: () => collectCdcStatus(cdcUrl), checksum: compareByChecksum },
    );
    return { run, text: formatParityRun(run, { color: process.stdout.isTTY === true }) };
  } finally {
    await store.close();
  }
}
