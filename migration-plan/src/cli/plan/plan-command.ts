import { parseArgs } from "node:util";
import { loadMigrationConfig, redactDatabaseUrl } from "@strangler/migration-config";
import { createPgPlanStore, type PlanStore } from "@strangler/toolkit-store";
import pino from "pino";
import { type CliEnvironment, configPathFor } from "../cli-config";
import { CliError } from "../cli-error";
import { requireToolkitDatabase } from "../toolkit-database";
import type { CliIo } from "../cli-io";
import { runPlanMove } from "./plan-moves";
import { collectPlanStatus, formatPlanStatus } from "./plan-status";

export const PLAN_USAGE = `Usage: strangler plan <command> [options]

Each service's migration plan, from its migration config: prepare the service database → sync
(snapshot + stream) → verify data (parity) → shadow → canary reads (1 → 10 → 50 → 100 %) → switch
writes → decommission, each step with an action, a gate and a rollback. The plan's state (which
step, which share, who owns each table's writes) and its audit log live in the toolkit database.

Commands:
  status [--service <name>] [--json]
                          each service's steps, the current one with what it does, its gate and
                          its rollback, and which side owns each table's writes

Run 'strangler plan <command> --help' for more. Exit codes: 0 success, 1 failure, 2 wrong usage.`;

const STATUS_USAGE = `Usage: strangler plan status [--service <name>] [--json] [--config <file>]

Prints each service's plan: the steps done, the current one (with its canary share) with what it
does, its gate and its rollback, the steps to come, an action left pending by an interrupted run,
and which side owns each table's writes. A plan not started yet is shown at its first step, the
monolith owning every table. --json prints the same as a document. Needs toolkit.database.`;

function usageError(message: string, usage: string): CliError {
  return new CliError("STRANGLER_USAGE", `${message}\n\n${usage}`);
}

export type OpenPlanStore = (databaseUrl: string) => PlanStore;
const openPgPlanStore: OpenPlanStore = (url) => createPgPlanStore(url, { logger: pino({ level: "silent" }) });

async function status(args: readonly string[], environment: CliEnvironment, io: CliIo, open: OpenPlanStore) {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        service: { type: "string" },
        json: { type: "boolean" },
        config: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    throw usageError((error as Error).message, STATUS_USAGE);
  }
  if (values.help) {
    io.out(`${STATUS_USAGE}\n`);
    return 0;
  }
  const configPath = configPathFor(environment, values.config);
  const config = loadMigrationConfig(configPath, environment.interpolation);
  if (values.service !== undefined && !config.services.some((s) => s.name === values.service))
    throw new CliError(
      "STRANGLER_UNKNOWN_SERVICE",
      `no service "${values.service}" in ${configPath} (services: ${config.services.map((s) => s.name).join(", ")})`,
    );
  const database = requireToolkitDatabase(config.toolkit, configPath, "the plan's state and audit log are kept");
  const store = open(database);
  try {
    const services = await collectPlanStatus(config, store, values.service).catch((error: unknown) => {
      throw new CliError(
        "STRANGLER_TOOLKIT_DATABASE_UNREACHABLE",
        `cannot read the plan state in the toolkit database ${redactDatabaseUrl(database)}: ${(error as Error).message}`,
        { cause: error, retriable: true },
      );
    });
    io.out(
      `${values.json ? JSON.stringify({ services }) : formatPlanStatus(services, { color: environment.color })}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

/** `strangler plan …`. `open` reaches the toolkit database (tests hand in a fake store). */
export async function runPlanCommand(
  args: readonly string[],
  environment: CliEnvironment,
  io: CliIo,
  open: OpenPlanStore = openPgPlanStore,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === "help" || sub === "--help" || sub === "-h") {
    io.out(`${PLAN_USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub === "status") return status(rest, environment, io, open);
  if (sub === "next" || sub === "rollback" || sub === "auto") return runPlanMove(sub, rest, environment, io);
  throw new CliError("STRANGLER_USAGE", `unknown command 'plan ${sub}'\n\n${PLAN_USAGE}`);
}
