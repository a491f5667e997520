import { parseArgs } from "node:util";
import { DEFAULT_CONFIRM_TIMEOUT_SECONDS } from "../../defaults";
import type { CliEnvironment } from "../cli-config";
import { CliError } from "../cli-error";
import type { CliIo } from "../cli-io";
import { loadFlagsContext } from "./flags-context";
import { flagsList } from "./flags-list";
import { flagsSet, parsePercent, parseTimeout } from "./flags-set";
import type { RouteSelection } from "./route-selection";

export const FLAGS_USAGE = `Usage: strangler flags <command> [options]

Route flags live in Unleash: per route a serve flag (share of real traffic the new service
answers, sticky per user) and a shadow flag (share mirrored to it and compared).

Commands:
  list [--json]                          each route: service, read/write, methods, path, serve %,
                                         shadow % in Unleash, and what the proxy reports
  set <route-id>... --serve <percent>    change the routes' flags in Unleash, then wait until the
      [--shadow <percent>] [--timeout <s>]  proxy reports the new state (default ${DEFAULT_CONFIRM_TIMEOUT_SECONDS} s; 0 = do not wait)
  set --service <name> [--reads] [--writes] --serve <percent> ...
                                         the same for the service's reads, writes, or (neither
                                         given) all its routes

Options:
  --config <file>   the migration config [STRANGLER_CONFIG, else ./strangler.config.yaml, else the example's]
  --help            show help

Exit codes: 0 done (and confirmed), 1 failed or not confirmed in time, 2 wrong usage.`;

const LIST_USAGE = `Usage: strangler flags list [--json] [--config <file>]

Lists every route of the migration config with its serve and shadow flag in Unleash ("off" =
disabled, nobody gets it) and the state the proxy reports on its admin API. --json prints one JSON
object {config, unleash, proxy, routes: [...]}.`;

const SET_USAGE = `Usage: strangler flags set <route-id>... --serve <percent> [--shadow <percent>] [--timeout <s>] [--config <file>]
       strangler flags set --service <name> [--reads] [--writes] --serve <percent> [--shadow <percent>] ...

Sets the routes' serve (and/or shadow) rollout in Unleash to an integer percentage 0..100 and
enables the flags, then polls the proxy's admin API until it reports the new state of each, e.g.
  users-list: serve 0% → 50% (proxy confirmed in 0.9 s)
Routes are given by id (several at once: users-list users-get), or by service: --service <name>
takes all its routes, with --reads only its reads, with --writes only its writes. Every route is
checked against the config before anything changes.
--timeout <s> waits at most that long (default ${DEFAULT_CONFIRM_TIMEOUT_SECONDS}; 0 = do not wait).`;

/** Runs node:util parseArgs, turning its errors (unknown option, missing value) into usage errors. */
function parsing<T>(parse: () => T, usage: string): T {
  try {
    return parse();
  } catch (error) {
    throw usageError((error as Error).message, usage);
  }
}

const COMMON_OPTIONS = { config: { type: "string" }, help: { type: "boolean", short: "h" } } as const;

function usageError(message: string, usage: string): CliError {
  return new CliError("STRANGLER_USAGE", `${message}\n\n${usage}`);
}

/** The routes `flags set` names: ids, or --service with --reads / --writes (neither = both). */
function routeSelection(
  positionals: readonly string[],
  values: { service?: string; reads?: boolean; writes?: boolean },
): RouteSelection {
  if (values.service !== undefined) {
    if (positionals.length > 0)
      throw usageError(
        `give route ids or --service, not both (got ${positionals.join(" ")} and --service ${values.service})`,
        SET_USAGE,
      );
    const kinds = [...(values.reads ? (["read"] as const) : []), ...(values.writes ? (["write"] as const) : [])];
    return { service: values.service, kinds: kinds.length > 0 ? kinds : ["read", "write"] };
  }
  if (values.reads || values.writes)
    throw usageError(`--${values.reads ? "reads" : "writes"} goes with --service <name>`, SET_USAGE);
  if (positionals.length === 0) throw usageError("missing <route-id> (or --service <name>)", SET_USAGE);
  return { routeIds: positionals };
}

/** `strangler flags …`; returns the exit code. */
export async function runFlagsCommand(
  args: readonly string[],
  environment: CliEnvironment,
  io: CliIo,
): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.out(`${FLAGS_USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  switch (command) {
    case "list": {
      const { values, positionals } = parsing(
        () =>
          parseArgs({
            args: [...rest],
            options: { ...COMMON_OPTIONS, json: { type: "boolean" } },
            allowPositionals: true,
            strict: true,
          }),
        LIST_USAGE,
      );
      if (values.help) return (io.out(`${LIST_USAGE}\n`), 0);
      if (positionals.length > 0) throw usageError(`unexpected argument ${positionals[0]}`, LIST_USAGE);
      return flagsList(loadFlagsContext(environment, values.config), { json: values.json === true }, io);
    }
    case "set": {
      const { values, positionals } = parsing(
        () =>
          parseArgs({
            args: [...rest],
            options: {
              ...COMMON_OPTIONS,
              serve: { type: "string" },
              shadow: { type: "string" },
              timeout: { type: "string" },
              service: { type: "string" },
              reads: { type: "boolean" },
              writes: { type: "boolean" },
            },
            allowPositionals: true,
            strict: true,
          }),
        SET_USAGE,
      );
      if (values.help) return (io.out(`${SET_USAGE}\n`), 0);
      const routes = routeSelection(positionals, values);
      const { serve, shadow, timeout } = values;
      if (serve === undefined && shadow === undefined)
        throw usageError("say what to set: --serve <percent> and/or --shadow <percent>", SET_USAGE);
      const target = {
        ...(serve === undefined ? {} : { serve: parsePercent("--serve", serve) }),
        ...(shadow === undefined ? {} : { shadow: parsePercent("--shadow", shadow) }),
      };
      const timeoutSeconds = timeout === undefined ? DEFAULT_CONFIRM_TIMEOUT_SECONDS : parseTimeout(timeout);
      return flagsSet(loadFlagsContext(environment, values.config), { routes, target, timeoutSeconds }, io);
    }
    default:
      throw usageError(`unknown flags command '${command}'`, FLAGS_USAGE);
  }
}
