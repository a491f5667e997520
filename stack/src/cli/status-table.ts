import { formatTextTable } from "./text-table";
import type { StackStatus } from "../stack/stack-lifecycle";

/** `status` for people: one row per component, including its log file. */
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
  return formatTextTable(header, rows);
}
