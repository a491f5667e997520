import { parseArgs } from "node:util";
import { loadMigrationConfig } from "@strangler/migration-config";
import { type CliEnvironment, configPathFor } from "../cli-config";
import { CliError } from "../cli-error";
import type { CliIo } from "../cli-io";
import { listenUrl } from "../listen-url";
import { cdcSlots } from "./cdc-slots";
import { cdcStatus } from "./cdc-status";

export const CDC_USAGE = `Usage: strangler cdc <command> [options]

Commands:
  status [--json] [--config <f>]  each stream of the CDC process: direction, transport, phase,
                                  position, last lag, applied, dead-lettered, last event
  slots [--json] [--config <f>]   every replication slot and publication the toolkit created, in
                                  the legacy database and each service database: kind, database,
                                  active, retained WAL, whether the config uses it

Run 'strangler cdc <command> --help' for more. Exit codes: 0 success, 1 failure, 2 wrong usage.`;

const STATUS_USAGE = `Usage: strangler cdc status [--json] [--config <file>]

Shows each change-data-capture stream of the CDC process: direction, transport, phase (snapshot,
streaming, reconnecting), position (LSN, or Kafka offsets and lag), last lag (the last committed
batch: commit time − the change's commit time), events applied and dead-lettered, all from its
GET /status. --json prints one object {cdc, streams: [...], warnings: [...]}.
The process is found where the migration config's cdc.listen says (default 127.0.0.1:4300);
STRANGLER_CDC_URL overrides it.
--config <file>  the migration config [STRANGLER_CONFIG, else ./strangler.config.yaml, else the example's]`;

const SLOTS_USAGE = `Usage: strangler cdc slots [--json] [--config <file>]

Lists every replication slot and publication the toolkit created — the embedded source's
(strangler_<service>, strangler_<service>_reverse), the Debezium connectors' (strangler_dbz_…) and
any other strangler_… one — in the legacy database and each service database of the migration
config: name, kind (embedded or debezium, forward or reverse), service, database, active (and the
pid that reads it), the WAL the slot retains (pg_current_wal_lsn() − restart_lsn), whether a
publication of that name exists, and whether the current config and cdc.transport use it. The
unused ones follow as warnings with the statements that drop them. Reads PostgreSQL directly; the
CDC process need not run.
--json prints one object {config, transport, slots: [...], unreachable: [...], warnings: [...]}.
--config <file>  the migration config [STRANGLER_CONFIG, else ./strangler.config.yaml, else the example's]
Exit codes: 0 listed, 1 a database could not be read (the others are listed), 2 wrong usage.`;

function parsing<T>(parse: () => T, usage: string): T {
  try {
    return parse();
  } catch (error) {
    throw new CliError("STRANGLER_USAGE", `${(error as Error).message}\n\n${usage}`);
  }
}

/** `--json`, `--config <f>` and `--help` of `cdc status` / `cdc slots`; "help" once the usage is printed. */
function subcommandOptions(
  args: readonly string[],
  name: string,
  usage: string,
  io: CliIo,
): { json: boolean; config: string | undefined } | "help" {
  const { values, positionals } = parsing(
    () =>
      parseArgs({
        args: [...args],
        options: { json: { type: "boolean" }, config: { type: "string" }, help: { type: "boolean", short: "h" } },
        allowPositionals: true,
        strict: true,
      }),
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return "help";
  }
  if (positionals.length > 0)
    throw new CliError("STRANGLER_USAGE", `unexpected argument ${positionals[0]} for 'cdc ${name}'\n\n${usage}`);
  return { json: values.json === true, config: values.config };
}

/** The CDC process's base URL: STRANGLER_CDC_URL, else the migration config's cdc.listen. */
export function cdcUrlFor(environment: CliEnvironment, configOption: string | undefined): string {
  if (environment.cdcUrl !== undefined) return environment.cdcUrl;
  const { listen } = loadMigrationConfig(configPathFor(environment, configOption), environment.interpolation).cdc;
  return listenUrl(listen.host, listen.port);
}

/** `strangler cdc …` */
export async function runCdcCommand(args: readonly string[], environment: CliEnvironment, io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === "help" || sub === "--help" || sub === "-h") {
    io.out(`${CDC_USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  switch (sub) {
    case "status": {
      const options = subcommandOptions(rest, "status", STATUS_USAGE, io);
      if (options === "help") return 0;
      return cdcStatus(cdcUrlFor(environment, options.config), { json: options.json }, io);
    }
    case "slots": {
      const options = subcommandOptions(rest, "slots", SLOTS_USAGE, io);
      if (options === "help") return 0;
      const configPath = configPathFor(environment, options.config);
      return cdcSlots(
        loadMigrationConfig(configPath, environment.interpolation),
        { json: options.json, configPath },
        io,
      );
    }
    default:
      throw new CliError("STRANGLER_USAGE", `unknown command 'cdc ${sub}'\n\n${CDC_USAGE}`);
  }
}
