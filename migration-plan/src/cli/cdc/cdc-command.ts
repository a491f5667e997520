import type { CliEnvironment } from "../cli-config";
import { CliError } from "../cli-error";
import type { CliIo } from "../cli-io";
import { cdcStatus } from "./cdc-status";

export const CDC_USAGE = `Usage: strangler cdc status [--json]

Shows each change-data-capture stream of the CDC process: direction, phase (snapshot, streaming),
confirmed position (LSN), last lag (now − the change's commit time), events applied and
dead-lettered. --json prints one object {cdc, streams: [...]}.
The process is found at STRANGLER_CDC_URL, else http://127.0.0.1:<STRANGLER_CDC_PORT, 4300>.`;

/** `strangler cdc …` */
export async function runCdcCommand(args: readonly string[], environment: CliEnvironment, io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === "--help" || sub === "-h" || rest.includes("--help")) {
    io.out(`${CDC_USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== "status") throw new CliError("STRANGLER_USAGE", `unknown command 'cdc ${sub}'\n\n${CDC_USAGE}`);
  const unknown = rest.find((arg) => arg !== "--json");
  if (unknown) throw new CliError("STRANGLER_USAGE", `unexpected argument ${unknown} for 'cdc status'\n\n${CDC_USAGE}`);
  return cdcStatus(environment.cdcUrl, { json: rest.includes("--json") }, io);
}
