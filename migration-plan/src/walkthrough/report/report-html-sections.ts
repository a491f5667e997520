import { WALKTHROUGH_REPORT_MAX_LISTED_FAILURES } from "../../defaults";
import { escapeHtml as h } from "./html-escape";
import { type HtmlCell, htmlTable } from "./html-table";
import { formatFigure, formatNumber, formatPercent, formatSpan, formatTimestamp } from "./report-format";
import { type NumberedStep, numberedSteps, parityTotals, planStateText, stepName } from "./report-summary";
import type { WalkthroughReportInput, WalkthroughStepOutcome } from "./walkthrough-report-input";

const OUTCOME_CLASS: Record<WalkthroughStepOutcome | "pass" | "hold" | "fail", string> = {
  passed: "ok",
  pass: "ok",
  held: "warn",
  hold: "warn",
  "rolled back": "bad",
  failed: "bad",
  fail: "bad",
  skipped: "muted",
};

const num = (value: number | null): HtmlCell => ({ html: h(formatNumber(value)), numeric: true });

/** An outcome or verdict as a badge (the word is always there; colour only repeats it). */
function badge(outcome: string): string {
  const cls = OUTCOME_CLASS[outcome as keyof typeof OUTCOME_CLASS] ?? "muted";
  return `<span class="outcome outcome-${cls}">${h(outcome)}</span>`;
}

/** Summary: load, failures, parity at the end, who owns the writes. */
export function htmlSummary(input: WalkthroughReportInput): string {
  const { load } = input;
  const totals = parityTotals(input.parity);
  const parity =
    totals.tables === 0
      ? "not measured"
      : `${badge(totals.equal ? "pass" : "fail")} ${h(formatPercent(totals.ratio))} (${totals.tables} tables, ` +
        `${h(formatNumber(totals.processed))} rows: ${h(formatNumber(totals.matching))} matching, ` +
        `${h(formatNumber(totals.mismatched))} mismatched, ${h(formatNumber(totals.onlyInLegacy))} only in legacy, ` +
        `${h(formatNumber(totals.onlyInService))} only in service)`;
  const outcomes = new Map<string, number>();
  for (const s of input.steps) outcomes.set(s.outcome, (outcomes.get(s.outcome) ?? 0) + 1);
  const rows: string[][] = [
    [
      "requests",
      h(`${formatNumber(load.requests)} (${formatNumber(load.reads)} reads, ${formatNumber(load.writes)} writes)`),
    ],
    ["failed requests", `${badge(load.failed === 0 ? "pass" : "fail")} ${h(formatNumber(load.failed))}`],
    ["data parity at the end", parity],
    [
      "steps",
      input.steps.length === 0
        ? "none"
        : `${input.steps.length}: ${[...outcomes].map(([o, n]) => `${n} ${badge(o)}`).join(", ")}`,
    ],
  ];
  const parts = [
    "<h2>Summary</h2>",
    `<table><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join("")}</tbody></table>`,
    "<h3>Who owns the writes</h3>",
    input.owners.length === 0
      ? '<p class="no-data">no tables</p>'
      : htmlTable(
          ["service", "table", "writes go to"],
          input.owners.map((o) => [h(o.service), h(o.table), h(o.owner)]),
        ),
  ];
  if (load.failed > 0 || load.failures.length > 0) {
    const listed = load.failures.slice(0, WALKTHROUGH_REPORT_MAX_LISTED_FAILURES);
    const unlisted = Math.max(load.failed, load.failures.length) - listed.length;
    parts.push(
      "<h3>Failed requests</h3>",
      htmlTable(
        ["at", "what failed"],
        listed.map((f) => [h(formatTimestamp(f.at)), h(f.what)]),
      ),
      unlisted > 0 ? `<p>… and ${h(formatNumber(unlisted))} more not listed.</p>` : "",
    );
  }
  return parts.join("\n");
}

function gateTable(step: NumberedStep): string {
  if (step.gates.length === 0) return '<p class="no-data">No gate evaluated.</p>';
  return htmlTable(
    ["gate", "verdict", "figures", "message"],
    step.gates.map((g) => {
      const figures = Object.entries(g.figures)
        .map(([name, value]) => `<li>${h(name)}: ${h(formatFigure(value))}</li>`)
        .join("");
      return [h(g.gate), badge(g.verdict), figures ? `<ul class="figures">${figures}</ul>` : "–", h(g.message)];
    }),
  );
}

/** Steps: an overview table (numbers as on the charts' markers), then each step with what it proved and its gates. */
export function htmlSteps(input: WalkthroughReportInput): string {
  const steps = numberedSteps(input);
  if (steps.length === 0) return '<h2>Steps</h2>\n<p class="no-data">no steps ran.</p>';
  const overview = htmlTable(
    ["#", "service", "step", "outcome", "started", "took"],
    steps.map((s) => [
      num(s.number),
      h(s.service),
      `<a href="#step-${s.number}">${h(stepName(s))}</a>`,
      badge(s.outcome),
      h(formatTimestamp(s.startedAt)),
      { html: h(formatSpan(s.startedAt, s.endedAt)), numeric: true },
    ]),
  );
  const details = steps.map((s) => {
    const proved =
      s.proved.length === 0
        ? '<p class="no-data">nothing recorded</p>'
        : `<ul>${s.proved.map((p) => `<li>${h(p)}</li>`).join("")}</ul>`;
    return [
      `<section class="step" id="step-${s.number}">`,
      `<h3>${s.number}. ${h(stepName(s))} ${badge(s.outcome)}</h3>`,
      `<p class="meta">${h(s.service)} · ${h(formatTimestamp(s.startedAt))} → ${h(formatTimestamp(s.endedAt))} (${h(formatSpan(s.startedAt, s.endedAt))})</p>`,
      `<h4>What it proved</h4>${proved}`,
      `<h4>Gates</h4>${gateTable(s)}`,
      "</section>",
    ].join("\n");
  });
  return ["<h2>Steps</h2>", overview, ...details].join("\n");
}

/** Data parity per table. */
export function htmlParity(input: WalkthroughReportInput): string {
  if (input.parity.length === 0) return '<h2>Data parity</h2>\n<p class="no-data">no parity run recorded.</p>';
  const table = htmlTable(
    ["service", "table", "processed", "matching", "mismatched", "only in legacy", "only in service", "parity"],
    input.parity.map((p) => [
      h(p.service),
      h(p.table),
      num(p.processed),
      num(p.matching),
      num(p.mismatched),
      num(p.onlyInLegacy),
      num(p.onlyInService),
      { html: h(formatPercent(p.processed > 0 ? p.matching / p.processed : null)), numeric: true },
    ]),
  );
  return `<h2>Data parity</h2>\n${table}`;
}

/** The plan's audit log: every flip, with the state before and after and the gate verdicts. */
export function htmlAudit(input: WalkthroughReportInput): string {
  if (input.audit.length === 0) return '<h2>Audit log</h2>\n<p class="no-data">no entries.</p>';
  const table = htmlTable(
    ["#", "at", "actor", "service", "action", "state", "message", "gates"],
    input.audit.map((e) => [
      num(e.id),
      h(formatTimestamp(e.at)),
      h(e.actor),
      h(e.service),
      h(e.action),
      h(`${planStateText(e.before)} → ${planStateText(e.after)}`),
      h(e.message),
      e.gates.map((g) => `${h(g.gate)} ${badge(g.verdict)}`).join("<br/>") || "–",
    ]),
  );
  return `<h2>Audit log</h2>\n${table}`;
}
