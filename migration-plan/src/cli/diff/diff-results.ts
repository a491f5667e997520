import { createPgShadowResultStore, type ShadowResultStore } from "@strangler/toolkit-store";
import { redactDatabaseUrl, type ToolkitConfig } from "@strangler/migration-config";
import pino from "pino";
import { CliError } from "../cli-error";
import { requireToolkitDatabase } from "../toolkit-database";

/** What `strangler diff` reads from the toolkit database. */
export type DiffResults = Pick<ShadowResultStore, "report" | "example" | "close">;

/** Opens the shadow results of a migration config's toolkit section. */
export type OpenDiffResults = (toolkit: ToolkitConfig, configPath: string) => DiffResults;

/**
 * The PostgreSQL shadow result store of `toolkit.database`. Throws STRANGLER_TOOLKIT_DATABASE_MISSING
 * when the config has none: without it the proxy keeps no results to report.
 */
export const openToolkitResults: OpenDiffResults = (toolkit, configPath) => {
  const database = requireToolkitDatabase(toolkit, configPath, "shadow results are kept");
  return createPgShadowResultStore(database, {
    retention: toolkit.retention,
    logger: pino({ level: "silent" }),
  });
};

/** Runs a read against the toolkit database, naming the database (without password) when it fails. */
export async function readToolkit<T>(database: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(
      "STRANGLER_TOOLKIT_DATABASE_UNREACHABLE",
      `cannot read the shadow results in the toolkit database ${redactDatabaseUrl(database)}: ${(error as Error).message}. ` +
        "Is it running? (npm run stack -- status)",
      { cause: error, retriable: true },
    );
  }
}
