import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadMigrationConfig } from "@strangler/migration-config";
import { diffExampleSchema, OpsContractError, parseDiffSince, parseOpsDocument } from "@strangler/ops-contract";
import { DIFF_EXPORT_DEFAULT_LIMIT, DIFF_EXPORT_DEFAULT_SINCE } from "../../defaults";
import { corpusFileNameOf, formatCorpusCaseYaml } from "../../parity/http/corpus-export";
import { type CliEnvironment, configPathFor } from "../cli-config";
import { CliError } from "../cli-error";
import type { CliIo } from "../cli-io";
import { type OpenDiffResults, readToolkit } from "./diff-results";

export const EXPORT_USAGE = `Usage: strangler diff export --route <id> --out <dir> [--since 1d] [--limit n] [--json] [--config <file>]

Writes the shadow examples kept for a route (one per difference signature seen in the window) as
HTTP parity corpus files, one YAML file per request (method, path, headers, body), to replay with
'strangler parity http --corpus <dir>'. Credentials are removed: the authorization, proxy-authorization,
cookie and x-api-key headers, and any header, query parameter or JSON body member whose name suggests
a secret (token, secret, password, key, session, auth); a Set-Cookie is never written.

  --route <id>       the route of the migration config
  --out <dir>        the folder to write to (created if needed; files of the same name are replaced)
  --since <when>     the window's start: 30s, 15m, 1h, 2d or an ISO time [default ${DIFF_EXPORT_DEFAULT_SINCE}]
  --limit <n>        at most this many examples [default ${DIFF_EXPORT_DEFAULT_LIMIT}]
  --json             print {route, out, files} instead of text
  --config <file>    the migration config [STRANGLER_CONFIG, else ./strangler.config.yaml, else the example's]

Needs toolkit.database in the config. Exit codes: 0 written (also when there was nothing to write),
1 the toolkit database could not be read or a file not written, 2 wrong usage.`;

function usageError(message: string): CliError {
  return new CliError("STRANGLER_USAGE", `${message}\n\n${EXPORT_USAGE}`);
}

/** `strangler diff export …`: kept shadow examples of a route as corpus files. */
export async function runDiffExport(
  args: readonly string[],
  environment: CliEnvironment,
  io: CliIo,
  open: OpenDiffResults,
  now: number = Date.now(),
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        route: { type: "string" },
        out: { type: "string" },
        since: { type: "string" },
        limit: { type: "string" },
        json: { type: "boolean" },
        config: { type: "string" },
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
    io.out(`${EXPORT_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw usageError(`unexpected argument ${positionals[0]} for 'diff export'`);
  if (values.route === undefined) throw usageError("missing --route <id>");
  if (values.out === undefined) throw usageError("missing --out <dir>");
  const limit = Number(values.limit ?? DIFF_EXPORT_DEFAULT_LIMIT);
  if (!Number.isInteger(limit) || limit < 1)
    throw usageError(`--limit must be a positive whole number (got '${values.limit}')`);
  const since = parseDiffSince(values.since ?? DIFF_EXPORT_DEFAULT_SINCE, now);
  if (!since.ok) throw new CliError("STRANGLER_INVALID_SINCE", `--since: ${since.reason}`);

  const configPath = configPathFor(environment, values.config);
  const migration = loadMigrationConfig(configPath, environment.interpolation);
  const routes = migration.services.flatMap((s) => [...s.routes.reads, ...s.routes.writes].map((r) => r.id));
  if (!routes.includes(values.route))
    throw new CliError(
      "STRANGLER_UNKNOWN_ROUTE",
      `no route '${values.route}' in the migration config (routes: ${routes.join(", ")})`,
    );
  const routeId = values.route;
  const out = path.resolve(environment.cwd, values.out);
  const results = open(migration.toolkit, configPath);
  const database = migration.toolkit.database ?? "";
  const files: string[] = [];
  try {
    const report = await readToolkit(database, () => results.report({ since: since.since, until: now, routeId }));
    const ids = [
      ...new Set(
        report.routes
          .filter((r) => r.routeId === routeId)
          .flatMap((r) => r.signatures.map((s) => s.exampleId))
          .filter((id): id is string => id !== null),
      ),
    ].slice(0, limit);
    for (const id of ids) {
      const found = await readToolkit(database, () => results.example(id));
      if (found === undefined) continue; // pruned between the report and now
      let example;
      try {
        example = parseOpsDocument(diffExampleSchema, found, {
          document: "shadow example",
          source: "the toolkit database",
        });
      } catch (error) {
        if (!(error instanceof OpsContractError)) throw error;
        throw new CliError("STRANGLER_TOOLKIT_BAD_RESULT", error.message, { cause: error });
      }
      const file = path.join(out, corpusFileNameOf(example));
      try {
        fs.mkdirSync(out, { recursive: true });
        fs.writeFileSync(file, formatCorpusCaseYaml(example));
      } catch (error) {
        throw new CliError("STRANGLER_WRITE_FAILED", `cannot write ${file}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      files.push(file);
    }
  } finally {
    await results.close().catch(() => undefined);
  }
  if (values.json) io.out(`${JSON.stringify({ route: routeId, out, files })}\n`);
  else
    io.out(
      files.length === 0
        ? `no kept shadow examples of ${routeId} since ${new Date(since.since).toISOString()}: nothing written\n`
        : `wrote ${files.length} corpus case${files.length === 1 ? "" : "s"} of ${routeId} to ${out}:\n${files.map((f) => `  ${path.basename(f)}\n`).join("")}`,
    );
  return 0;
}
