import { parseArgs } from "node:util";
import { loadMigrationConfig, redactDatabaseUrl } from "@strangler/migration-config";
import { createPgParityRunStore, type ParityRunStore } from "@strangler/toolkit-store";
import pino from "pino";
import { PARITY_DEFAULT_OUT_DIR, PARITY_LAG_TIMEOUT } from "../../defaults";
import { type ChecksumCompare, runDataParity } from "../../parity/data/data-parity-run";
import { ParityError } from "../../parity/data/parity-error";
import { collectCdcStatus } from "../cdc/cdc-status";
import { cdcUrlFor } from "../cdc/cdc-command";
import { type CliEnvironment, configPathFor } from "../cli-config";
import { CliError } from "../cli-error";
import { requireToolkitDatabase } from "../toolkit-database";
import type { CliIo } from "../cli-io";
import { formatParityRun } from "./parity-data-text";
import { createProgress } from "./parity-progress";

export const PARITY_DATA_USAGE = `Usage: strangler parity data [--service <name>]... [--table <name>]... [--mode auto|full|checksum]
                            [--owner legacy|service] [--out <dir>] [--lag-timeout <time>] [--json] [--config <file>]
       strangler parity data --resume [--json] [--config <file>]

Compares each mapped table of the migration config's data sections between the legacy database and
the service's database, through the config's mapping (the CDC sink's own mappers: renames, split
columns, keys of one or several columns, quoted names). Per table: rows processed, matching,
mismatched (with counts per column), only in legacy, only in the service; the full list of
differing keys in a CSV file, and a fix-up SQL script that would make the copy equal to the side
that owns the table's writes (written, never run).

Both sides are read in key order through server-side cursors (memory stays flat). A row that
differs is re-checked once the CDC stream has applied past the position it was read at (the CDC
process's status): only differences that persist are reported; the others are counted in flight.
Progress is saved in the toolkit database as the run goes, so an interrupted run (Ctrl-C, a kill)
continues from its last key with --resume.

  --service <name>     only this service's tables (repeatable) [default: every service with data]
  --table <name>       only this table, legacy or service name (repeatable)
  --mode <mode>        full (every row), checksum (count and hash of key ranges inside each
                       database, rows compared only in ranges that differ), auto (checksum for
                       tables of 100,000 rows or more) [default auto]
  --owner <side>       the side that owns the tables' writes: the fix-up script copies its rows
                       to the other side, and its CDC stream is waited for [default legacy]
  --out <dir>          where the keys and fix-up files go, a folder per run [default ${PARITY_DEFAULT_OUT_DIR}]
  --lag-timeout <time> how long a re-check waits for CDC (500ms, 30s, 2m) [default ${PARITY_LAG_TIMEOUT / 1000}s]
  --resume             continue the last unfinished run with its options
  --json               print the run's report document
  --config <file>      the migration config [STRANGLER_CONFIG, else ./strangler.config.yaml, else the example's]

Exit codes: 0 every table equal, 1 a difference (or a failure), 2 wrong usage or an invalid config.
Needs toolkit.database in the config; the CDC process is found where cdc.listen says.`;

function usageError(message: string): CliError {
  return new CliError("STRANGLER_USAGE", `${message}\n\n${PARITY_DATA_USAGE}`);
}

/** "500ms", "30s", "2m" or a number of seconds → milliseconds. */
export function parseTimeout(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw usageError(`--lag-timeout must be a time such as 500ms, 30s or 2m, got "${text}"`);
  const value = Number(match[1]);
  return match[2] === "ms" ? value : match[2] === "m" ? value * 60_000 : value * 1000;
}

export interface ParityDataCommandDeps {
  openStore?: (databaseUrl: string) => ParityRunStore;
  checksum: ChecksumCompare;
  /** Ctrl-C: the run saves its progress and ends as interrupted. */
  signal?: AbortSignal;
}

/** `strangler parity data …`. */
export async function runParityDataCommand(
  args: readonly string[],
  environment: CliEnvironment,
  io: CliIo,
  deps: ParityDataCommandDeps,
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        service: { type: "string", multiple: true },
        table: { type: "string", multiple: true },
        mode: { type: "string" },
        owner: { type: "string" },
        out: { type: "string" },
        "lag-timeout": { type: "string" },
        resume: { type: "boolean" },
        json: { type: "boolean" },
        config: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    throw usageError((error as Error).message);
  }
  if (values.help) {
    io.out(`${PARITY_DATA_USAGE}\n`);
    return 0;
  }
  const mode = values.mode ?? "auto";
  if (mode !== "auto" && mode !== "full" && mode !== "checksum")
    throw usageError(`--mode must be auto, full or checksum, got "${mode}"`);
  const owner = values.owner ?? "legacy";
  if (owner !== "legacy" && owner !== "service") throw usageError(`--owner must be legacy or service, got "${owner}"`);
  if (
    values.resume &&
    (values.service || values.table || values.mode || values.owner || values.out || values["lag-timeout"])
  )
    throw usageError("--resume continues a run with its own options: give no other option than --json and --config");
  const lagTimeoutMs = values["lag-timeout"] === undefined ? PARITY_LAG_TIMEOUT : parseTimeout(values["lag-timeout"]);
  const configPath = configPathFor(environment, values.config);
  const config = loadMigrationConfig(configPath, environment.interpolation);
  const database = requireToolkitDatabase(
    config.toolkit,
    configPath,
    "data parity records its runs (and resumes them)",
  );
  const store = (deps.openStore ?? ((url) => createPgParityRunStore(url, { logger: pino({ level: "silent" }) })))(
    database,
  );
  const cdcUrl = cdcUrlFor(environment, values.config);
  const progress = environment.progress ? createProgress((text) => io.err(text)) : null;
  try {
    const run = await runDataParity(
      values.resume
        ? { resume: true }
        : {
            services: values.service ?? [],
            tables: values.table ?? [],
            mode,
            owner,
            outDir: values.out ?? PARITY_DEFAULT_OUT_DIR,
            lagTimeoutMs,
          },
      {
        config,
        store,
        readCdcStatus: () => collectCdcStatus(cdcUrl),
        checksum: deps.checksum,
        ...(progress ? { progress: (table, estimate) => progress.update(table, estimate) } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
      },
    );
    progress?.done();
    io.out(`${values.json ? JSON.stringify(run) : formatParityRun(run, { color: environment.color })}\n`);
    if (run.status === "interrupted")
      io.err(`strangler: run ${run.runId} interrupted; continue it with 'strangler parity data --resume'\n`);
    return run.status === "done" && run.tables.every((t) => t.equal) ? 0 : 1;
  } catch (error) {
    progress?.done();
    if (error instanceof ParityError)
      throw new CliError(error.usage ? "STRANGLER_USAGE" : "STRANGLER_PARITY_FAILED", error.message, { cause: error });
    if ((error as { code?: string }).code?.startsWith("TOOLKIT_STORE"))
      throw new CliError(
        "STRANGLER_TOOLKIT_DATABASE_UNREACHABLE",
        `the toolkit database ${redactDatabaseUrl(database)}: ${(error as Error).message}`,
        { cause: error },
      );
    throw error;
  } finally {
    await store.close();
  }
}
