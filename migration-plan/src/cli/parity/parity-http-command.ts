import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadMigrationConfig, redactDatabaseUrl, type ToolkitConfig } from "@strangler/migration-config";
import { createPgShadowResultStore } from "@strangler/toolkit-store";
import pino from "pino";
import { PARITY_CORPUS_DIR, PARITY_HTTP_CONCURRENCY, PARITY_HTTP_REQUEST_TIMEOUT } from "../../defaults";
import { buildHttpParityReport, httpParityExitCode } from "../../parity/http/http-parity-report";
import { formatHttpParityReport } from "../../parity/http/http-parity-text";
import { formatJunitXml } from "../../parity/http/junit-xml";
import { type LearntNoise, learntNoiseOf, NO_LEARNT_NOISE } from "../../parity/http/learnt-noise";
import { loadHttpCorpus } from "../../parity/http/load-http-corpus";
import { runHttpParity } from "../../parity/http/run-http-parity";
import { type CliEnvironment, configPathFor } from "../cli-config";
import { CliError } from "../cli-error";
import type { CliIo } from "../cli-io";

export const PARITY_HTTP_USAGE = `Usage: strangler parity http [--corpus <dir>] [--junit <file>] [--json] [--config <file>]

Replays a corpus of requests against the legacy app and the service that owns each request's route,
and compares the two answers with the comparator and rules of shadow mode: the config's compare
rules of the service and the route (ignores, normalisers, arrays, old→new map), the case's own
ignores, and the noise shadow mode learnt (read from toolkit.database when it is reachable; a
warning says when it is not, and the run goes on without it).

A corpus is a folder of small YAML or JSON files (searched recursively), one request each:

  name: user by id                # optional; default the file name
  method: GET
  path: /api/users/6f1c…          # the legacy path, query included
  headers: { accept: application/json }
  body: { name: Ada Lovelace }    # optional: a JSON value, or a string sent as is
  expect: { status: 200 }         # optional: both sides must answer it
  compare: { ignore: [/updatedAt] }  # optional: JSON pointers left out for this case

Write them by hand, or export real shadow traffic with 'strangler diff export --route <id> --out <dir>'.
Writes (a method other than GET, HEAD, OPTIONS, or a body) are sent only as dry runs
(x-strangler-dry-run: 1), and only when both legacy.dryRun and the service's dryRun are true in the
config; otherwise the case is skipped, with the reason.

  --corpus <dir>          the corpus folder [default: ${PARITY_CORPUS_DIR}/ next to the config file]
  --junit <file>          also write the results as JUnit XML (one testsuite per route)
  --json                  print the report document instead of text
  --timeout <seconds>     per request to one side [default ${PARITY_HTTP_REQUEST_TIMEOUT / 1000}]
  --concurrency <n>       cases replayed at once [default ${PARITY_HTTP_CONCURRENCY}]
  --ignore-learnt-noise   do not read learnt noise: every difference counts
  --config <file>         the migration config [STRANGLER_CONFIG, else ./strangler.config.yaml, else the example's]

Exit codes: 0 every case passed (skipped cases allowed); 1 a difference not explained by the rules or
learnt noise (listed with its field paths), or a side that could not be reached; 2 wrong usage, an
invalid config, or a bad corpus (a file that does not parse, or whose path matches no route).`;

/** Learnt noise from the config's toolkit database, or why there is none. */
export type OpenLearntNoise = (
  toolkit: ToolkitConfig,
) => Promise<{ noise: LearntNoise; state: "used" | "unavailable" | "not-configured"; warning?: string }>;

/** Reads the learnt noise of every route from toolkit.database; an unreachable database is a warning, not a failure. */
export const openToolkitLearntNoise: OpenLearntNoise = async (toolkit) => {
  if (toolkit.database === undefined) return { noise: NO_LEARNT_NOISE, state: "not-configured" };
  const store = createPgShadowResultStore(toolkit.database, {
    retention: toolkit.retention,
    logger: pino({ level: "silent" }),
  });
  try {
    return { noise: learntNoiseOf(await store.noise()), state: "used" };
  } catch (error) {
    return {
      noise: NO_LEARNT_NOISE,
      state: "unavailable",
      warning: `learnt noise not used: the toolkit database ${redactDatabaseUrl(toolkit.database)} could not be read (${(error as Error).message}); every difference counts`,
    };
  } finally {
    await store.close().catch(() => undefined);
  }
};

function usageError(message: string): CliError {
  return new CliError("STRANGLER_USAGE", `${message}\n\n${PARITY_HTTP_USAGE}`);
}

function positiveNumber(value: string | undefined, option: string, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw usageError(`${option} must be a positive ${integer ? "whole " : ""}number (got '${value}')`);
  return n;
}

function writeFile(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (error) {
    throw new CliError("STRANGLER_WRITE_FAILED", `cannot write ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** `strangler parity http …`; returns the exit code. `openNoise` reaches the toolkit database (tests hand in their own). */
export async function runParityHttpCommand(
  args: readonly string[],
  env: CliEnvironment,
  io: CliIo,
  openNoise: OpenLearntNoise = openToolkitLearntNoise,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        corpus: { type: "string" },
        junit: { type: "string" },
        json: { type: "boolean" },
        config: { type: "string" },
        timeout: { type: "string" },
        concurrency: { type: "string" },
        "ignore-learnt-noise": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(`${PARITY_HTTP_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw usageError(`unexpected argument ${positionals[0]} for 'parity http'`);
  const timeoutMs = positiveNumber(values.timeout, "--timeout", PARITY_HTTP_REQUEST_TIMEOUT / 1000, false) * 1000;
  const concurrency = positiveNumber(values.concurrency, "--concurrency", PARITY_HTTP_CONCURRENCY, true);
  const configPath = configPathFor(env, values.config);
  const migration = loadMigrationConfig(configPath, env.interpolation);
  const corpusDir = values.corpus
    ? path.resolve(env.cwd, values.corpus)
    : path.join(path.dirname(configPath), PARITY_CORPUS_DIR);
  const corpus = loadHttpCorpus(corpusDir);
  const junitPath = values.junit === undefined ? null : path.resolve(env.cwd, values.junit);

  const learnt = values["ignore-learnt-noise"]
    ? { noise: NO_LEARNT_NOISE, state: "ignored" as const }
    : await openNoise(migration.toolkit);
  const startedAt = new Date();
  const progress = env.color && !values.json;
  const cases = await runHttpParity(migration, corpus, {
    concurrency,
    timeoutMs,
    noise: learnt.noise,
    onCase: progress ? (_result, done, total) => io.err(`\r${done}/${total} cases`) : undefined,
  });
  if (progress) io.err("\r\u001b[K");
  const report = buildHttpParityReport({
    config: configPath,
    corpus: corpusDir,
    startedAt,
    finishedAt: new Date(),
    learntNoise: learnt.state,
    warnings: "warning" in learnt && learnt.warning ? [learnt.warning] : [],
    cases,
    junit: junitPath,
  });
  if (junitPath !== null) writeFile(junitPath, formatJunitXml(report));
  io.out(`${values.json ? JSON.stringify(report) : formatHttpParityReport(report, { color: env.color })}\n`);
  return httpParityExitCode(report);
}
