import { redactDatabaseUrl, type MigrationConfig } from "@strangler/migration-config";
import {
  type DiffExample,
  type DiffReport,
  diffExampleSchema,
  diffReportSchema,
  OpsContractError,
  parseDiffSince,
  parseOpsDocument,
} from "@strangler/ops-contract";
import { CliError } from "../cli-error";
import { formatDiffReport } from "./diff-report-text";
import { type OpenDiffResults, openToolkitResults, readToolkit } from "./diff-results";

/** Which results `diff report` covers: `since` as given on the command line (`1h`, an ISO time). */
export interface DiffReportRequest {
  since: string;
  routeId?: string;
  service?: string;
}

/** Checks a document from the store against the contract, so `--json` and the admin API print the same shape. */
function checked<T>(schema: typeof diffReportSchema | typeof diffExampleSchema, value: unknown, database: string): T {
  try {
    return parseOpsDocument(schema, value, { document: "shadow results", source: redactDatabaseUrl(database) }) as T;
  } catch (error) {
    if (!(error instanceof OpsContractError)) throw error;
    throw new CliError("STRANGLER_TOOLKIT_BAD_RESULT", error.message, { cause: error });
  }
}

/** The route and service filters checked against the config: a typo gets an error, not an empty report. */
function checkFilters(migration: MigrationConfig, request: DiffReportRequest): void {
  if (request.routeId !== undefined && request.service !== undefined)
    throw new CliError("STRANGLER_USAGE", "give --route or --service, not both");
  const services = migration.services;
  if (request.service !== undefined && !services.some((s) => s.name === request.service))
    throw new CliError(
      "STRANGLER_UNKNOWN_SERVICE",
      `no service '${request.service}' in the migration config (services: ${services.map((s) => s.name).join(", ")})`,
    );
  const routes = services.flatMap((s) => [...s.routes.reads, ...s.routes.writes].map((r) => r.id));
  if (request.routeId !== undefined && !routes.includes(request.routeId))
    throw new CliError(
      "STRANGLER_UNKNOWN_ROUTE",
      `no route '${request.routeId}' in the migration config (routes: ${routes.join(", ")})`,
    );
}

/**
 * The diff report of a migration config's toolkit database (the data behind `strangler diff report`
 * and the demo's shadow step), checked against the operations contract.
 */
export async function collectDiffReport(
  migration: MigrationConfig,
  configPath: string,
  request: DiffReportRequest,
  open: OpenDiffResults = openToolkitResults,
  now: number = Date.now(),
): Promise<DiffReport> {
  const since = parseDiffSince(request.since, now);
  if (!since.ok) throw new CliError("STRANGLER_INVALID_SINCE", `--since: ${since.reason}`);
  checkFilters(migration, request);
  const results = open(migration.toolkit, configPath);
  const database = migration.toolkit.database ?? "";
  try {
    const report = await readToolkit(database, () =>
      results.report({ since: since.since, until: now, routeId: request.routeId, service: request.service }),
    );
    return checked<DiffReport>(diffReportSchema, report, database);
  } finally {
    await results.close().catch(() => undefined);
  }
}

/** One kept example by id; STRANGLER_UNKNOWN_EXAMPLE when the toolkit database does not hold it. */
export async function collectDiffExample(
  migration: MigrationConfig,
  configPath: string,
  id: string,
  open: OpenDiffResults = openToolkitResults,
): Promise<DiffExample> {
  const results = open(migration.toolkit, configPath);
  const database = migration.toolkit.database ?? "";
  try {
    const example = await readToolkit(database, () => results.example(id));
    if (example === undefined)
      throw new CliError(
        "STRANGLER_UNKNOWN_EXAMPLE",
        `no example '${id}' in the toolkit database (examples are kept ${migration.toolkit.retention.days} days; ` +
          "`npx strangler diff report` lists the current ones)",
      );
    return checked<DiffExample>(diffExampleSchema, example, database);
  } finally {
    await results.close().catch(() => undefined);
  }
}

/** `describeRoute` for the report's headings: "GET /api/users/:id" from the migration config. */
export function routeDescriber(migration: MigrationConfig): (routeId: string) => string | undefined {
  const routes = new Map(
    migration.services.flatMap((s) =>
      [...s.routes.reads, ...s.routes.writes].map((r) => [r.id, `${r.methods.join(",")} ${r.path}`] as const),
    ),
  );
  return (routeId) => routes.get(routeId);
}

/**
 * The diff report as `strangler diff report` prints it (text, or the contract's JSON): exported for
 * the demo, which prints it through the same code.
 */
export async function renderDiffReport(
  migration: MigrationConfig,
  configPath: string,
  request: DiffReportRequest,
  options: { json?: boolean; color?: boolean; open?: OpenDiffResults; now?: number } = {},
): Promise<string> {
  const report = await collectDiffReport(migration, configPath, request, options.open, options.now);
  if (options.json) return JSON.stringify(report);
  return formatDiffReport(report, { color: options.color, describeRoute: routeDescriber(migration) });
}
