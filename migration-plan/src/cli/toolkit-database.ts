import type { ToolkitConfig } from "@strangler/migration-config";
import { CliError } from "./cli-error";

/**
 * The config's toolkit.database, or STRANGLER_TOOLKIT_DATABASE_MISSING saying what needs it
 * (`keeps`, e.g. "data parity records its runs") and how to set it.
 */
export function requireToolkitDatabase(toolkit: ToolkitConfig, configPath: string, keeps: string): string {
  if (toolkit.database !== undefined) return toolkit.database;
  throw new CliError(
    "STRANGLER_TOOLKIT_DATABASE_MISSING",
    `${configPath} has no toolkit.database: ${keeps} in the toolkit's own PostgreSQL database. ` +
      "Set toolkit.database (e.g. postgres://strangler@127.0.0.1:5432/strangler; `npm run stack -- up` creates it).",
  );
}
