import type { CliEnvironment } from "../cli-config";
import { CliError } from "../cli-error";
import type { CliIo } from "../cli-io";
import { PARITY_DATA_USAGE, type ParityDataCommandDeps, runParityDataCommand } from "./parity-data-command";
import { PARITY_HTTP_USAGE, runParityHttpCommand } from "./parity-http-command";

export const PARITY_USAGE = `Usage: strangler parity <command> [options]

Parity tests: does the new side hold the same data, and answer the same way, as the old one?

Commands:
  data [--service <name>] [--table <name>] [--mode auto|full|checksum] [--out <dir>] [--resume] [--json]
                          row-level comparison of each mapped table through the config's mapping,
                          lag-aware, resumable; writes the differing keys and a fix-up script
  http [--corpus <dir>] [--junit <file>] [--json]
                          replays a corpus of requests against the legacy app and the service and
                          compares the answers with shadow mode's comparator and rules

Run 'strangler parity <command> --help' for more. Exit codes: 0 equal, 1 a difference or failure, 2 wrong usage or a bad config or corpus.`;

/** `strangler parity …`. */
export async function runParityCommand(
  args: readonly string[],
  environment: CliEnvironment,
  io: CliIo,
  deps: ParityDataCommandDeps,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === "help" || sub === "--help" || sub === "-h") {
    io.out(`${PARITY_USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub === "data") return runParityDataCommand(rest, environment, io, deps);
  if (sub === "http") return runParityHttpCommand(rest, environment, io);
  throw new CliError("STRANGLER_USAGE", `unknown command 'parity ${sub}'\n\n${PARITY_USAGE}`);
}

export { PARITY_DATA_USAGE, PARITY_HTTP_USAGE };
