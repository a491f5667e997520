import type { GateResult } from "@strangler/ops-contract";
import { WALKTHROUGH_REPORT_HTML_FILE, WALKTHROUGH_REPORT_MAX_LISTED_FAILURES } from "../../defaults";
import { escapeMarkdown as md, markdownLink } from "./markdown-escape";
import { markdownTable } from "./markdown-table";
import { formatFigure, formatNumber, formatPercent, formatSpan, formatTimestamp } from "./report-format";
import { markdownTimeline } from "./report-markdown-timeline";
import { type NumberedStep, numberedSteps, parityTotals, planStateText, stepName } from "./report-summary";
import type { WalkthroughReportInput } from "./walkthrough-report-input";

const RIGHT = "right" as const;

/** "matchRate=0.9995, sample=1,200" */
export function gateFiguresText(gate: GateResult): string {
  return Object.entries(gate.figures)
    .map(([name, value]) => `${name}=${formatFigure(value)}`)
    .join(", ");
}

function summary(input: WalkthroughReportInput): string {
  const { load } = input;
  const totals = parityTotals(input.parity);
  const parity =
    totals.tables === 0
      ? "not measured"
      : `${formatPercent(totals.ratio)} (${totals.tables} tables, ${formatNumber(totals.processed)} rows: ` +
        `${formatNumber(totals.matching)} matching, ${formatNumber(totals.mismatched)} mismatched, ` +
        `${formatNumber(totals.onlyInLegacy)} only in legacy, ${formatNumber(totals.onlyInService)} only in service)`;
  const outcomes = new Map<string, number>();
  for (const s of input.steps) outcomes.set(s.outcome, (outcomes.get(s.outcome) ?? 0) + 1);
  const stepsText = [...outcomes].map(([outcome, n]) => `${n} ${outcome}`).join(", ");
  const rows = [
    [
      "requests",
      `${formatNumber(load.requests)} (${formatNumber(load.reads)} reads, ${formatNumber(load.writes)} writes)`,
    ],
    ["failed requests", formatNumber(load.failed)],
    ["data parity at the end", parity],
    ["steps", input.steps.length === 0 ? "none" : `${input.steps.length}: ${stepsText}`],
  ];
  const parts = ["## Summary", markdownTable(["", ""], rows)];
  parts.push(
    "### Who owns the writes",
    input.owners.length === 0
      ? "no tables"
      : markdownTable(
          ["service", "table", "writes go to"],
          input.owners.map((o) => [md(o.service), md(o.table), o.owner]),
        ),
  );
  if (load.failed > 0 || load.failures.length > 0) {
    const listed = load.failures.slice(0, WALKTHROUGH_REPORT_MAX_LISTED_FAILURES);
    parts.push(
      "### Failed requests",
      markdownTable(
        ["at", "what failed"],
        listed.map((f) => [md(formatTimestamp(f.at)), md(f.what)]),
      ),
    );
    const unlisted = Math.max(load.failed, load.failures.length) - listed.length;
    if (unlisted > 0) parts.push(`… and ${formatNumber(unlisted)} more not listed.`);
  }
  return parts.join("\n\n");
}

function stepSection(step: NumberedStep): string {
  const head = `### ${step.number}. ${md(stepName(step))}: ${step.outcome}`;
  const when =
    `${md(step.service)} · ${md(formatTimestamp(step.startedAt))} → ${md(formatTimestamp(step.endedAt))}` +
    ` (${formatSpan(step.startedAt, step.endedAt)})`;
  const proved =
    step.proved.length === 0
      ? "Proved: nothing recorded."
      : ["Proved:", ...step.proved.map((p) => `- ${md(p)}`)].join("\n");
  const gates =
    step.gates.length === 0
      ? "No gate evaluated."
      : markdownTable(
          ["gate", "verdict", "figures", "message"],
          step.gates.map((g) => [md(g.gate), g.verdict, md(gateFiguresText(g)), md(g.message)]),
        );
  return [head, when, proved, gates].join("\n\n");
}

function paritySection(input: WalkthroughReportInput): string {
  if (input.parity.length === 0) return "## Data parity\n\nno parity run recorded.";
  const rows = input.parity.map((p) => [
    md(p.service),
    md(p.table),
    formatNumber(p.processed),
    formatNumber(p.matching),
    formatNumber(p.mismatched),
    formatNumber(p.onlyInLegacy),
    formatNumber(p.onlyInService),
    formatPercent(p.processed > 0 ? p.matching / p.processed : null),
  ]);
  const header = [
    "service",
    "table",
    "processed",
    "matching",
    "mismatched",
    "only in legacy",
    "only in service",
    "parity",
  ];
  return `## Data parity\n\n${markdownTable(header, rows, ["left", "left", RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT])}`;
}

function auditSection(input: WalkthroughReportInput): string {
  if (input.audit.length === 0) return "## Audit log\n\nno entries.";
  const rows = input.audit.map((e) => [
    String(e.id),
    md(formatTimestamp(e.at)),
    md(e.actor),
    md(e.service),
    md(e.action),
    md(`${planStateText(e.before)} → ${planStateText(e.after)}`),
    md(e.message),
    md(e.gates.map((g) => `${g.gate}: ${g.verdict}`).join(", ")),
  ]);
  const header = ["#", "at", "actor", "service", "action", "state", "message", "gates"];
  return `## Audit log\n\n${markdownTable(header, rows, [RIGHT])}`;
}

/** The walkthrough report as GitHub Markdown: summary, sparklines over time, steps, parity, audit log. */
export function renderWalkthroughMarkdown(input: WalkthroughReportInput, options: { htmlFile?: string } = {}): string {
  const links = [markdownLink("the report with charts", options.htmlFile ?? WALKTHROUGH_REPORT_HTML_FILE)];
  if (input.links?.dashboard) links.push(markdownLink("the dashboard", input.links.dashboard));
  const steps = numberedSteps(input);
  return (
    [
      `# ${md(input.title)}`,
      `${md(formatTimestamp(input.startedAt))} → ${md(formatTimestamp(input.endedAt))}` +
        ` (${formatSpan(input.startedAt, input.endedAt)}). See ${links.join(" and ")}.`,
      summary(input),
      markdownTimeline(input),
      steps.length === 0 ? "## Steps\n\nno steps ran." : ["## Steps", ...steps.map(stepSection)].join("\n\n"),
      paritySection(input),
      auditSection(input),
    ].join("\n\n") + "\n"
  );
}
