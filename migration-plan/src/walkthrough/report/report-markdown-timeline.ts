import { WALKTHROUGH_REPORT_SPARKLINE_WIDTH } from "../../defaults";
import { escapeMarkdown } from "./markdown-escape";
import { markdownTable } from "./markdown-table";
import { formatDuration, formatElapsed, formatNumber, formatPercent } from "./report-format";
import { reportServices, reportTimeRange, serviceTimeline } from "./report-summary";
import { SPARKLINE_GAP, sparkline } from "./sparkline";
import type { WalkthroughReportInput, WalkthroughTimelinePoint } from "./walkthrough-report-input";

interface Measure {
  name: string;
  pick: (p: WalkthroughTimelinePoint) => number | null;
  format: (v: number) => string;
  /** Sparkline scale: from 0 to the highest value, 0 to 1 (a share), or the lowest value to 1 (a dip in a rate near 1 shows). */
  scale: "zero-up" | "share" | "dip";
}

const share = (p: WalkthroughTimelinePoint) => {
  const total = p.servedByLegacy + p.servedByService;
  return total > 0 ? p.servedByService / total : null;
};
const ms = (v: number) => `${formatNumber(v)} ms`;
const s = (v: number) => `${formatNumber(v)} s`;

function measures(service: string): Measure[] {
  const count = { format: formatNumber, scale: "zero-up" as const };
  const percent = { format: (v: number) => formatPercent(v), scale: "zero-up" as const };
  const svc = escapeMarkdown(service);
  return [
    { name: "requests served by legacy", pick: (p) => p.servedByLegacy, ...count },
    { name: `requests served by ${svc}`, pick: (p) => p.servedByService, ...count },
    { name: `share served by ${svc}`, pick: share, ...percent, scale: "share" },
    { name: "shadow match rate", pick: (p) => p.matchRate, ...percent, scale: "dip" },
    { name: "CDC lag forward", pick: (p) => p.cdcLagSeconds.forward, format: s, scale: "zero-up" },
    { name: "CDC lag reverse", pick: (p) => p.cdcLagSeconds.reverse, format: s, scale: "zero-up" },
    { name: "error rate legacy", pick: (p) => p.errorRate.legacy, ...percent },
    { name: `error rate ${svc}`, pick: (p) => p.errorRate.service, ...percent },
    { name: "latency p50 legacy", pick: (p) => p.latencyMs.legacyP50, format: ms, scale: "zero-up" },
    { name: `latency p50 ${svc}`, pick: (p) => p.latencyMs.serviceP50, format: ms, scale: "zero-up" },
    { name: "latency p95 legacy", pick: (p) => p.latencyMs.legacyP95, format: ms, scale: "zero-up" },
    { name: `latency p95 ${svc}`, pick: (p) => p.latencyMs.serviceP95, format: ms, scale: "zero-up" },
  ];
}

function measureRow(measure: Measure, points: WalkthroughTimelinePoint[]): string[] {
  const values = points.map(measure.pick);
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return [measure.name, "no data", "–", "–", "–"];
  const min = present.reduce((a, b) => Math.min(a, b));
  const max = present.reduce((a, b) => Math.max(a, b));
  const range = { "zero-up": { min: Math.min(0, min) }, share: { min: 0, max: 1 }, dip: { min, max: 1 } }[
    measure.scale
  ];
  const line = sparkline(values, { width: WALKTHROUGH_REPORT_SPARKLINE_WIDTH, ...range });
  return [
    measure.name,
    `\`${line}\``,
    measure.format(min),
    measure.format(max),
    measure.format(present[present.length - 1]!),
  ];
}

/** The "Over time" section: per service, a table of sparklines (Markdown has no charts). */
export function markdownTimeline(input: WalkthroughReportInput): string {
  const range = reportTimeRange(input);
  if (input.timeline.length === 0 || range === null) return "## Over time\n\nno data: the timeline is empty.";
  const parts = ["## Over time"];
  for (const service of reportServices(input)) {
    const points = serviceTimeline(input, service);
    if (points.length === 0) continue;
    const first = points[0]!.at;
    const last = points[points.length - 1]!.at;
    const perChar = (last - first) / Math.min(WALKTHROUGH_REPORT_SPARKLINE_WIDTH, points.length);
    parts.push(
      `### ${escapeMarkdown(service)}`,
      `${points.length} samples from ${formatElapsed((first - range.start) / 1000)} to ${formatElapsed((last - range.start) / 1000)}` +
        (points.length > 1 ? `, one character ≈ ${formatDuration(perChar)}` : "") +
        `; \`${SPARKLINE_GAP}\` marks intervals without data.`,
      markdownTable(
        ["measure", "over time", "min", "max", "last"],
        measures(service).map((m) => measureRow(m, points)),
        ["left", "left", "right", "right", "right"],
      ),
    );
  }
  return parts.join("\n\n");
}
