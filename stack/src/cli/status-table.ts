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
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
