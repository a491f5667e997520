import { parseArgs } from "node:util";
import { loadMigrationConfig } from "@strangler/migration-config";
import { DIFF_DEFAULT_SINCE } from "../../defaults";
import { type CliEnvironment, configPathFor } from "../cli-config";
import { CliError } from "../cli-error";
import type { CliIo } from "../cli-io";
import { formatDiffExample } from "./diff-example-text";
import { collectDiffExample, renderDiffReport } from "./diff-report";
import { runDiffExport } from "./diff-export";
import { type OpenDiffResults, openToolkitResults } from "./diff-results";

export const DIFF_USAGE = `Usage: strangler diff <command> [options]

Shadow mode mirrors a route's requests to the other side and compares both answers; the proxy keeps
the results in the toolkit database (toolkit.database in the migration config).

Commands:
  report [--route <id> | --service <name>] [--since 1h] [--json]
                          per route: requests compared, match rate, mismatches, top difference
                          signatures with an example id, noise fields, candidate errors and timeouts,
                          skipped by reason, latency of both sides (p50/p95)
  show <example-id> [--json]
                          one kept example: the request, both answers and their differences
  export --route <id> --out <dir> [--since 1d] [--limit n]
                          a route's kept examples as HTTP parity corpus files (credentials removed)

Run 'strangler diff <command> --help' for more. Exit codes: 0 success, 1 failure, 2 wrong usage.`;

const REPORT_USAGE = `Usage: strangler diff report [--route <id> | --service <name>] [--since <when>] [--json] [--config <file>]

Summarises the shadow comparisons of every proxy replica, per route: requests compared, match rate
((matches + noise-only + CDC-first) / compared), mismatches, differences grouped by signature (the
set of differing field paths and kinds) with counts, shares and an example id, fields learnt as
noise (they differ between two answers of the same side), candidate errors and timeouts, requests
not mirrored or not compared by reason, and the latency of the legacy and service sides (p50/p95).

  --route <id>       one route of the migration config
  --service <name>   all routes of one service
  --since <when>     the window's start: a duration back from now (30s, 15m, 1h, 2d) or an ISO time
                     (2026-12-02T10:00:00Z) [default ${DIFF_DEFAULT_SINCE}]
  --json             print the report document (the same as the proxy's GET /admin/diff/report)
  --config <file>    the migration config [STRANGLER_CONFIG, else ./strangler.config.yaml, else the example's]

Colours only on a terminal, never with NO_COLOR. Needs toolkit.database in the config.`;

const SHOW_USAGE = `Usage: strangler diff show <example-id> [--json] [--config <file>]

Shows one example kept by shadow mode (ids are in 'strangler diff report'): the request (method,
path, headers without credentials, body prefix), the differences (field path, kind, both values),
then the legacy answer and the service's answer (status, headers, body; JSON pretty-printed).
--json prints the example document (the same as the proxy's GET /admin/diff/examples/<id>).
Exit codes: 0 shown, 1 unknown example or the toolkit database unreachable, 2 wrong usage.`;

function usageError(message: string, usage: string): CliError {
  return new CliError("STRANGLER_USAGE", `${message}\n\n${usage}`);
}

function parsing<T>(parse: () => T, usage: string): T {
  try {
    return parse();
  } catch (error) {
    throw usageError((error as Error).message, usage);
  }
}

const COMMON = {
  json: { type: "boolean" },
  config: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

async function report(
  args: readonly string[],
  environment: CliEnvironment,
  io: CliIo,
  open: OpenDiffResults,
): Promise<number> {
  const { values, positionals } = parsing(
    () =>
      parseArgs({
        args: [...args],
        options: { ...COMMON, route: { type: "string" }, service: { type: "string" }, since: { type: "string" } },
        allowPositionals: true,
        strict: true,
      }),
    REPORT_USAGE,
  );
  if (values.help) {
    io.out(`${REPORT_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw usageError(`unexpected argument ${positionals[0]} for 'diff report'`, REPORT_USAGE);
  if (values.route !== undefined && values.service !== undefined)
    throw usageError("give --route or --service, not both", REPORT_USAGE);
  const configPath = configPathFor(environment, values.config);
  const migration = loadMigrationConfig(configPath, environment.interpolation);
  const text = await renderDiffReport(
    migration,
    configPath,
    { since: values.since ?? DIFF_DEFAULT_SINCE, routeId: values.route, service: values.service },
    { json: values.json === true, color: environment.color, open },
  );
  io.out(`${text}\n`);
  return 0;
}

async function show(args: readonly string[], environment: CliEnvironment, io: CliIo, open: OpenDiffResults) {
  const { values, positionals } = parsing(
    () => parseArgs({ args: [...args], options: COMMON, allowPositionals: true, strict: true }),
    SHOW_USAGE,
  );
  if (values.help) {
    io.out(`${SHOW_USAGE}\n`);
    return 0;
  }
  const [id, extra] = positionals;
  if (id === undefined) throw usageError("missing <example-id>", SHOW_USAGE);
  if (extra !== undefined) throw usageError(`unexpected argument ${extra} for 'diff show'`, SHOW_USAGE);
  const configPath = configPathFor(environment, values.config);
  const example = await collectDiffExample(
    loadMigrationConfig(configPath, environment.interpolation),
    configPath,
    id,
    open,
  );
  io.out(`${values.json ? JSON.stringify(example) : formatDiffExample(example, { color: environment.color })}\n`);
  return 0;
}

/** `strangler diff …`. `open` reaches the toolkit database (tests hand in an in-memory store). */
export async function runDiffCommand(
  args: readonly string[],
  environment: CliEnvironment,
  io: CliIo,
  open: OpenDiffResults = openToolkitResults,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === "help" || sub === "--help" || sub === "-h") {
    io.out(`${DIFF_USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub === "report") return report(rest, environment, io, open);
  if (sub === "show") return show(rest, environment, io, open);
  if (sub === "export") return runDiffExport(rest, environment, io, open);
  throw usageError(`unknown command 'diff ${sub}'`, DIFF_USAGE);
}
