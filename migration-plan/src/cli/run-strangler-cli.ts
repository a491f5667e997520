import { MigrationConfigError } from "@strangler/migration-config";
import { UnleashAdminError } from "@strangler/unleash-admin";
import { loadCliEnvironment } from "./cli-config";
import { CliError } from "./cli-error";
import { type CliIo, processIo } from "./cli-io";
import { cliVersion } from "./cli-version";
import { runCdcCommand } from "./cdc/cdc-command";
import { runConnectorsCommand } from "./connectors/connectors-command";
import { runDiffCommand } from "./diff/diff-command";
import { runFlagsCommand } from "./flags/flags-command";
import { runParityCommand } from "./parity/parity-command";
import { runPlanCommand } from "./plan/plan-command";
import { compareByChecksum } from "../parity/data/checksum/checksum-compare";

const USAGE = `Usage: strangler <command> [options]    (npx strangler …)

Commands:
  flags list [--json]                          route flags in Unleash and what the proxy reports
  flags set <route-id>... --serve <percent>    change routes' rollout and wait for the proxy
  flags set --service <name> [--reads] [--writes] --serve <percent>
                                               the same for a service's reads, writes or both
  cdc status [--json]                          each CDC stream: direction, phase, position, lag, applied, dead-lettered
  cdc slots [--json]                           the toolkit's replication slots and publications: retained WAL, used or not
  diff report [--route <id> | --service <name>] [--since 1h] [--json]
                                               shadow comparisons per route: match rate, differences, noise, latency
  diff show <example-id> [--json]              one kept example: the request, both answers, the differences
  diff export --route <id> --out <dir>         kept shadow examples as HTTP parity corpus files, credentials removed
  parity data [--service <name>] [--table <name>] [--mode auto|full|checksum] [--resume] [--json]
                                               row-level data parity of each mapped table, through the mapping:
                                               counts, differing keys, a fix-up script; lag-aware, resumable
  parity http [--corpus <dir>] [--junit <file>] [--json]
                                               replay a corpus of requests on both sides and compare the answers
  plan status [--service <name>] [--json]      each service's migration plan: steps, the current one (action, gate,
                                               rollback) and which side owns each table's writes
  connectors --out <dir> [--check]             write the Debezium connector JSON files of the config's data sections
  help, --help                                 show this text ('strangler flags --help' for more)
  --version                                    print the CLI's version

It reads the migration config (--config, else STRANGLER_CONFIG, else ./strangler.config.yaml,
else the worked example's) with the caller's environment for its \${VAR:-default} values, and finds
Unleash, the proxy's admin API, the CDC process and the toolkit database where the config says. Tokens come from
STRANGLER_UNLEASH_ADMIN_TOKEN / STRANGLER_PROXY_ADMIN_TOKEN, else the local stack's tokens file
(<STRANGLER_HOME, else the checkout's .strangler>/secrets/tokens.json).

Exit codes: 0 success, 1 failure, 2 wrong usage or an invalid config.`;

/** The exit code for an error: 2 for a wrong invocation or config, 1 for anything else. */
export function exitCodeOf(error: unknown): 1 | 2 {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof MigrationConfigError) return 2;
  return 1;
}

/** Runs `strangler <args>`; returns the exit code. Errors are printed here, in one place. */
export async function runStranglerCli(
  args: readonly string[],
  io: CliIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
  /** Ctrl-C: long commands (parity) save their progress and stop. */
  signal?: AbortSignal,
): Promise<number> {
  const [command, ...rest] = args;
  try {
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
      io.out(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === "--version" || command === "-V" || command === "version") {
      io.out(`${cliVersion()}\n`);
      return 0;
    }
    if (command === "flags") return await runFlagsCommand(rest, loadCliEnvironment(env), io);
    if (command === "cdc") return await runCdcCommand(rest, loadCliEnvironment(env), io);
    if (command === "diff") return await runDiffCommand(rest, loadCliEnvironment(env), io);
    if (command === "parity")
      return await runParityCommand(rest, loadCliEnvironment(env), io, {
        checksum: compareByChecksum,
        ...(signal ? { signal } : {}),
      });
    if (command === "plan") return await runPlanCommand(rest, loadCliEnvironment(env), io);
    if (command === "connectors") return runConnectorsCommand(rest, loadCliEnvironment(env), io);
    throw new CliError("STRANGLER_USAGE", `unknown command '${command}'\n\n${USAGE}`);
  } catch (error) {
    const known =
      error instanceof CliError || error instanceof MigrationConfigError || error instanceof UnleashAdminError;
    io.err(
      `strangler: ${known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return exitCodeOf(error);
  }
}
