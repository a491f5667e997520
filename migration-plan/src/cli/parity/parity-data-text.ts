import type { ParityRunReport } from "@strangler/ops-contract";
import { formatTable } from "../text-table";
import { createTextStyle } from "../text-style";

const n = (value: number): string => value.toLocaleString("en-US");

/** `strangler parity data` as text: one row per table, then the differing columns, files and warnings. */
export function formatParityRun(run: ParityRunReport, options: { color: boolean }): string {
  const style = createTextStyle(options.color);
  const lines = [
    `${style.bold("Data parity")} run ${run.runId} (${run.status}; ${run.lagAware ? "differences waited out against CDC" : "not lag-aware"})`,
    "",
    formatTable(
      [
        "service",
        "legacy → service",
        "mode",
        "owner",
        "rows",
        "matching",
        "mismatched",
        "only legacy",
        "only service",
        "in flight",
        "unsettled",
        "result",
      ],
      run.tables.map((t) => {
        const c = t.counts;
        const result =
          t.status !== "done" ? style.yellow(t.status) : t.equal ? style.green("equal") : style.red("DIFFERENT");
        return [
          t.service,
          `${t.legacyTable} → ${t.serviceTable}`,
          t.mode,
          t.owner,
          n(c.processed),
          n(c.matching),
          n(c.mismatched),
          n(c.onlyInLegacy),
          n(c.onlyInService),
          n(c.inFlight),
          n(c.unsettled),
          result,
        ];
      }),
    ),
  ];
  for (const t of run.tables) {
    const columns = Object.entries(t.columns).sort((a, b) => b[1] - a[1]);
    if (columns.length > 0)
      lines.push("", `${t.legacyTable}: mismatched columns: ${columns.map(([c, k]) => `${c} (${n(k)})`).join(", ")}`);
    if (t.ranges)
      lines.push(
        `${t.legacyTable}: checksum ranges compared ${n(t.ranges.compared)}, descended into ${n(t.ranges.differing)}`,
      );
  }
  // An equal table's keys file holds only its header: not worth a line.
  const worth = run.files.filter(
    (file) => file.kind !== "keys" || run.tables.some((t) => t.legacyTable === file.table && !t.equal),
  );
  if (worth.length > 0) {
    lines.push("");
    for (const file of worth)
      lines.push(`${file.kind === "fixup" ? "fix-up script (not run)" : "differing keys"}: ${file.path}`);
  }
  for (const warning of run.warnings) lines.push(style.yellow(`warning: ${warning}`));
  return lines.join("\n");
}
