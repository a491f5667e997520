import { CDC_TRANSPORTS, type CdcTransport } from "@strangler/migration-config";

/** The arguments without `--transport X` / `--transport=X`, and X; an error for a bad value or another command. */
export function parseTransport(
  command: string,
  args: readonly string[],
): { args: string[]; transport: CdcTransport | null } | { error: string } {
  const rest: string[] = [];
  let transport: string | null = null;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? "";
    if (arg === "--transport") {
      transport = args[index + 1] ?? "";
      index += 1;
    } else if (arg.startsWith("--transport=")) {
      transport = arg.slice("--transport=".length);
    } else {
      rest.push(arg);
    }
  }
  if (transport === null) return { args: rest, transport: null };
  if (command !== "up") return { error: `--transport is an option of 'up', not of '${command}'` };
  const known = CDC_TRANSPORTS.find((name) => name === transport);
  if (!known)
    return { error: `--transport ${JSON.stringify(transport)}: expected one of ${CDC_TRANSPORTS.join(", ")}` };
  return { args: rest, transport: known };
}
