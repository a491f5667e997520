import { formatTextTable } from "./text-table";
import type { StackStatus } from "../stack/stack-lifecycle";

/** `status` for people: one row per component, including its log file; the config's databases; then the warnings. */
export function formatStatusTable(status: StackStatus): string {
  const header = ["component", "state", "healthy", "pid", "url", "log"];
  const rows = Object.entries(status.components).map(([name, component]) => [
    name,
    component.detail ? `${component.state} (${component.detail})` : component.state,
    component.healthy ? "yes" : "no",
    component.pid === null ? "-" : String(component.pid),
    component.url ?? "-",
    component.log ?? "-",
  ]);
  const databases =
    status.databases.length === 0
      ? ""
      : `\n\n${formatTextTable(
          ["database", "app", "kind", "exists", "url"],
          status.databases.map((database) => [
            database.name,
            database.app,
            database.kind === "created" ? `created${database.migrated ? " + migrated" : ""} by the stack` : "external",
            database.exists === null ? "-" : database.exists ? "yes" : "no",
            database.url,
          ]),
        )}`;
  const warnings = status.warnings.map((warning) => `\nwarning: ${warning}`).join("");
  return `${formatTextTable(header, rows)}${databases}${warnings ? `\n${warnings}` : ""}`;
}
