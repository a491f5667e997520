import { escapeHtml as h, safeHref } from "./html-escape";
import { htmlAudit, htmlParity, htmlSteps, htmlSummary } from "./report-html-sections";
import { REPORT_CSS } from "./report-html-style";
import { formatSpan, formatTimestamp } from "./report-format";
import { walkthroughCharts } from "./walkthrough-charts";
import type { WalkthroughReportInput } from "./walkthrough-report-input";

// Defence in depth: even if some text escaped its escaping, the page may run no script and load nothing.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

function chartsSection(input: WalkthroughReportInput): string {
  const services = walkthroughCharts(input);
  if (services.length === 0) return '<h2>Over time</h2>\n<p class="no-data">no data: the timeline is empty.</p>';
  const parts = [
    "<h2>Over time</h2>",
    "<p>Dashed vertical lines mark where each step started, numbered as in Steps below (hover for the name).</p>",
  ];
  for (const { service, charts } of services) {
    parts.push(`<h3>${h(service)}</h3>`);
    for (const chart of charts)
      parts.push(`<figure><figcaption id="${chart.id}-caption">${h(chart.title)}</figcaption>${chart.svg}</figure>`);
  }
  return parts.join("\n");
}

/** The walkthrough report as one self-contained HTML page (inline CSS and SVG charts, no script, nothing fetched). */
export function renderWalkthroughHtml(input: WalkthroughReportInput): string {
  const dashboard = input.links?.dashboard;
  const href = dashboard ? safeHref(dashboard) : null;
  const dashboardLink = dashboard
    ? href
      ? ` · <a href="${href}">dashboard</a>`
      : ` · dashboard: ${h(dashboard)}`
    : "";
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8"/>',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}"/>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    `<title>${h(input.title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    "</head>",
    "<body>",
    "<header>",
    `<h1>${h(input.title)}</h1>`,
    `<p class="meta">${h(formatTimestamp(input.startedAt))} → ${h(formatTimestamp(input.endedAt))} (${h(formatSpan(input.startedAt, input.endedAt))})${dashboardLink}</p>`,
    "</header>",
    "<main>",
    htmlSummary(input),
    chartsSection(input),
    htmlSteps(input),
    htmlParity(input),
    htmlAudit(input),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
