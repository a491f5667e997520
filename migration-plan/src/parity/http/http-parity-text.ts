import type { HttpParityCase, HttpParityReport } from "@strangler/ops-contract";
import { createTextStyle } from "../../cli/text-style";

const LABEL: Record<HttpParityCase["outcome"], string> = {
  passed: "PASS ",
  failed: "FAIL ",
  skipped: "SKIP ",
  error: "ERROR",
};

// Paths and values come from a corpus and from upstream answers: control characters are shown, never sent to the terminal.
const printable = (text: string) =>
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** One line per case (in corpus order), its differences and problems indented below it, then the counts. */
export function formatHttpParityReport(report: HttpParityReport, options: { color?: boolean } = {}): string {
  const style = createTextStyle(options.color === true);
  const paint: Record<HttpParityCase["outcome"], (text: string) => string> = {
    passed: style.green,
    failed: style.red,
    skipped: style.yellow,
    error: style.red,
  };
  const lines: string[] = [];
  for (const c of report.cases) {
    lines.push(
      `${paint[c.outcome](LABEL[c.outcome])} ${printable(`${c.method} ${c.path}`)}  ${style.dim(`${c.routeId} · ${printable(c.file)}`)}`,
    );
    if (c.reason) lines.push(`        ${printable(c.reason)}`);
    for (const problem of c.problems) lines.push(`        ${printable(problem)}`);
    for (const d of c.differences)
      lines.push(
        `        ${style.bold(printable(d.path || "/"))} ${d.kind}: legacy ${printable(d.legacy ?? "(missing)")}, ${c.service} ${printable(d.service ?? "(missing)")}${d.note ? ` (${printable(d.note)})` : ""}`,
      );
    if (c.noise.length > 0)
      lines.push(style.dim(`        learnt noise, not counted: ${c.noise.map((d) => printable(d.path)).join(", ")}`));
  }
  for (const warning of report.warnings) lines.push(style.yellow(`warning: ${printable(warning)}`));
  const n = report.counts;
  const summary = `${n.cases} cases: ${n.passed} passed, ${n.failed} failed, ${n.skipped} skipped, ${n.errors} errors`;
  lines.push("", n.failed + n.errors > 0 ? style.red(summary) : style.green(summary));
  if (report.junit) lines.push(`JUnit report: ${report.junit}`);
  return lines.join("\n");
}
