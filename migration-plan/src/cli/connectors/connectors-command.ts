import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { connectorFileText, debeziumConnectors } from "@strangler/cdc/src/connectors";
import { loadMigrationConfig, type MigrationConfig } from "@strangler/migration-config";
import { type CliEnvironment, configPathFor } from "../cli-config";
import { CliError } from "../cli-error";
import type { CliIo } from "../cli-io";

export const CONNECTORS_USAGE = `Usage: strangler connectors --out <dir> [--config <file>] [--check]

Writes the Debezium connector definitions of the migration config's data sections, one JSON file
per connector, into <dir>: <service>.json (legacy database → service: the mapped source tables,
their key columns as message.key.columns, slot and publication strangler_dbz_<service>) and
<service>-reverse.json (service database → legacy, for data.reverse: true). docker-compose mounts
cdc/connectors; the native stack registers the same definitions from the config directly.
--check   writes nothing; exits 1 when a file in <dir> differs from what the config gives
--config <file>  the migration config [STRANGLER_CONFIG, else migration-plan/strangler.config.yaml]
Exit codes: 0 written (or up to date), 1 stale (--check), 2 wrong usage or an invalid config.`;

/** The files the config gives: name → text. */
export function connectorFiles(config: MigrationConfig): Map<string, string> {
  return new Map(debeziumConnectors(config).map(({ file, connector }) => [file, connectorFileText(connector)]));
}

/** The files of `dir` that differ from `files` (missing or changed), and the connector files there that the config does not give. */
export function staleConnectorFiles(dir: string, files: ReadonlyMap<string, string>): string[] {
  const stale = [...files].filter(([file, text]) => {
    const target = path.join(dir, file);
    return !fs.existsSync(target) || fs.readFileSync(target, "utf8") !== text;
  });
  const extra = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((file) => file.endsWith(".json") && !files.has(file))
    : [];
  return [...stale.map(([file]) => file), ...extra.map((file) => `${file} (not from the config: remove it)`)];
}

/** `strangler connectors --out <dir> [--config <file>] [--check]` */
export function runConnectorsCommand(
  args: readonly string[],
  environment: Pick<CliEnvironment, "cwd" | "defaultConfigPath" | "interpolation">,
  io: CliIo,
): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        out: { type: "string" },
        config: { type: "string" },
        check: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
  } catch (error) {
    throw new CliError("STRANGLER_USAGE", `${(error as Error).message}\n\n${CONNECTORS_USAGE}`);
  }
  const { values } = parsed;
  if (values.help) return (io.out(`${CONNECTORS_USAGE}\n`), 0);
  if (!values.out) throw new CliError("STRANGLER_USAGE", `connectors: --out <dir> is required\n\n${CONNECTORS_USAGE}`);
  const config = loadMigrationConfig(
    configPathFor(environment as CliEnvironment, values.config),
    environment.interpolation,
  );
  const files = connectorFiles(config);
  const dir = path.resolve(environment.cwd, values.out);
  if (values.check) {
    const stale = staleConnectorFiles(dir, files);
    if (stale.length === 0) return (io.out(`${dir}: the connector files are up to date\n`), 0);
    io.err(
      `${dir}: stale connector files (run 'npx strangler connectors --out ${values.out}'):\n${stale.map((file) => `  - ${file}`).join("\n")}\n`,
    );
    return 1;
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of files) {
    fs.writeFileSync(path.join(dir, file), text);
    io.out(`wrote ${path.join(values.out, file)}\n`);
  }
  return 0;
}
