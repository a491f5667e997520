import fs from "node:fs";
import path from "node:path";
import { CONNECTORS_DIR } from "../defaults";
import { StackError } from "../errors/stack-error";
import type { ConnectorDefinition } from "./connect-client";

/**
 * An absolute path as is; a bare name such as "<service>.json" from <repo>/cdc/connectors (the
 * files `npx strangler connectors --out cdc/connectors` writes from the migration config).
 */
export function connectorFilePath(repoRoot: string, file: string): string {
  return path.isAbsolute(file) ? file : path.join(repoRoot, CONNECTORS_DIR, file);
}

/**
 * Reads a connector file ({"name", "config"}) and applies overrides: the key "name" renames the
 * connector, every other key replaces or adds a config property (tests give per-test database,
 * slot, publication and topic prefix).
 */
export function loadConnectorFile(file: string, overrides: Readonly<Record<string, string>> = {}): ConnectorDefinition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new StackError(
      "STACK_CONFIG_INVALID",
      `${file}: cannot read a connector definition: ${(error as Error).message}`,
    );
  }
  const candidate = parsed as { name?: unknown; config?: unknown };
  const config = candidate.config as Record<string, unknown> | undefined;
  if (
    typeof candidate.name !== "string" ||
    !candidate.name ||
    typeof config !== "object" ||
    config === null ||
    Array.isArray(config)
  ) {
    throw new StackError(
      "STACK_CONFIG_INVALID",
      `${file}: expected {"name": "<connector>", "config": {<property>: "<string>", …}}`,
    );
  }
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== "string")
      throw new StackError(
        "STACK_CONFIG_INVALID",
        `${file}: config.${key} must be a string (Connect takes string values)`,
      );
    strings[key] = value;
  }
  const { name = candidate.name, ...configOverrides } = overrides;
  return { name, config: { ...strings, ...configOverrides } };
}
