import { parseArgs } from "node:util";
import { DEFAULT_CONFIRM_TIMEOUT_SECONDS } from "../../defaults";
import type { CliEnvironment } from "../cli-config";
import { CliError } from "../cli-error";
import type { CliIo } from "../cli-io";
import { loadFlagsContext } from "./flags-context";
import { flagsList } from "./flags-list";
import { flagsSet, parsePercent, parseTimeout } from "./flags-set";

export const FLAGS_USAGE = `Usage: strangler flags <command> [options]

Route flags live in Unleash: per route a serve flag (share of real traffic the new service
answers, sticky per user) and a shadow flag (share mirrored to it and compared).

Commands:
  list [--json]                          each route: service, read/write, methods, path, serve %,
                                         shadow % in Unleash, and what the proxy reports
  set <route-id> --serve <percent>       change the route's flags in Unleash, then wait until the
      [--shadow <percent>] [--timeout <s>]  proxy reports the new state (default ${DEFAULT_CONFIRM_TIMEOUT_SECONDS} s; 0 = do not wait)

Options:
  --config <file>   the migration config [STRANGLER_CONFIG, else migration-plan/strangler.config.yaml]
  --help            show help

Exit codes: 0 done (and confirmed), 1 failed or not confirmed in time, 2 wrong usage.`;

const LIST_USAGE = `Usage: strangler flags list [--json] [--config <file>]

Lists every route of the migration config with its serve and shadow flag in Unleash ("off" =
disabled, nobody gets it) and the state the proxy reports on its admin API. --json prints one JSON
object {config, unleash, proxy, routes: [...]}.`;

const SET_USAGE = `Usage: strangler flags set <route-id> --serve <percent> [--shadow <percent>] [--timeout <s>] [--config <file>]

Sets the route's serve (and/or shadow) rollout in Unleash to an integer percentage 0..100 and
enables the flag, then polls the proxy's admin API until it reports the new state, e.g.
  users-list: serve 0% → 50% (proxy confirmed in 0.9 s)
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

/** `strangler flags …`; returns the exit code. */
export async function runFlagsCommand(args: readonly string[], environment: CliEnvironment, io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.out(`${FLAGS_USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  switch (command) {
    case "list": {
      const { values, positionals } = parsing(
        () => parseArgs({ args: [...rest], options: { ...COMMON_OPTIONS, json: { type: "boolean" } }, allowPositionals: true, strict: true }),
        LIST_USAGE,
      );
      if (values.help) return io.out(`${LIST_USAGE}\n`), 0;
      if (positionals.length > 0) throw usageError(`unexpected argument ${positionals[0]}`, LIST_USAGE);
      return flagsList(loadFlagsContext(environment, values.config), { json: values.json === true }, io);
    }
    case "set": {
      const { values, positionals } = parsing(
        () =>
          parseArgs({
            args: [...rest],
            options: { ...COMMON_OPTIONS, serve: { type: "string" }, shadow: { type: "string" }, timeout: { type: "string" } },
            allowPositionals: true,
            strict: true,
          }),
        SET_USAGE,
      );
      if (values.help) return io.out(`${SET_USAGE}\n`), 0;
      const [routeId, ...extra] = positionals;
      if (routeId === undefined) throw usageError("missing <route-id>", SET_USAGE);
      if (extra.length > 0) throw usageError(`unexpected argument ${extra[0]}`, SET_USAGE);
      const { serve, shadow, timeout } = values;
      if (serve === undefined && shadow === undefined) throw usageError("say what to set: --serve <percent> and/or --shadow <percent>", SET_USAGE);
      const target = {
        ...(serve === undefined ? {} : { serve: parsePercent("--serve", serve) }),
        ...(shadow === undefined ? {} : { shadow: parsePercent("--shadow", shadow) }),
      };
      const timeoutSeconds = timeout === undefined ? DEFAULT_CONFIRM_TIMEOUT_SECONDS : parseTimeout(timeout);
      return flagsSet(loadFlagsContext(environment, values.config), { routeId, target, timeoutSeconds }, io);
    }
    default:
      throw usageError(`unknown flags command '${command}'`, FLAGS_USAGE);
  }
}
