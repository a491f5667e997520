import { type TimeAxis, timeAxis } from "./chart-scale";
import { formatDuration, formatNumber, formatPercent } from "./report-format";
import { numberedSteps, reportServices, reportTimeRange, serviceTimeline, stepName } from "./report-summary";
import { CHART_COLOURS, type StepMarker } from "./svg-chart-frame";
import { type LineSeries, renderLineChart } from "./svg-line-chart";
import { renderStackedBarChart } from "./svg-stacked-bar-chart";
import type { WalkthroughReportInput, WalkthroughTimelinePoint } from "./walkthrough-report-input";

/** One rendered chart: an id (unique in the page), its title and the <svg> markup. */
export interface RenderedChart {
  id: string;
  title: string;
  svg: string;
}

/** The charts of one service, in the order the report shows them. */
export interface ServiceCharts {
  service: string;
  charts: RenderedChart[];
}

// A time axis never spans less than this: one sample (or none) still gets a readable axis.
const MIN_TIME_SPAN_MS = 10_000;

type Measure = (p: WalkthroughTimelinePoint) => number | null;

const percent = (v: number | null) => (v === null ? null : v * 100);
const formatPercentTick = (v: number) => `${formatNumber(v)} %`;

/** "match rate: min 98 %, max 100 %, last 100 %" for a chart's description; "no data" without values. */
function seriesSummary(label: string, values: Array<number | null>, format: (v: number) => string): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const gaps = values.length - present.length;
  if (present.length === 0) return `${label}: no data`;
  const min = present.reduce((a, b) => Math.min(a, b));
  const max = present.reduce((a, b) => Math.max(a, b));
  const gapText = gaps > 0 ? ` (${gaps} intervals without data)` : "";
  return `${label}: min ${format(min)}, max ${format(max)}, last ${format(present[present.length - 1]!)}${gapText}`;
}

function lineSeries(points: WalkthroughTimelinePoint[], label: string, colour: string, pick: Measure, dashed = false) {
  const series: LineSeries = { label, colour, dashed, points: points.map((p) => ({ at: p.at, value: pick(p) })) };
  return series;
}

function describe(prefix: string, series: LineSeries[], format: (v: number) => string): string {
  return `${prefix} ${series
    .map((s) =>
      seriesSummary(
        s.label,
        s.points.map((p) => p.value),
        format,
      ),
    )
    .join("; ")}.`;
}

function serviceCharts(
  service: string,
  index: number,
  points: WalkthroughTimelinePoint[],
  time: TimeAxis,
  markers: StepMarker[],
): RenderedChart[] {
  const span = `${points.length} samples over ${formatDuration(time.end - time.start)}`;
  const id = (name: string) => `chart-${index + 1}-${name}`;
  const common = { time, markers };
  const legacy = CHART_COLOURS.legacy;
  const svc = CHART_COLOURS.service;

  const shares = points.map((p) => {
    const total = p.servedByLegacy + p.servedByService;
    return total > 0 ? p.servedByService / total : null;
  });
  const trafficTitle = `Traffic split over time: legacy vs ${service}`;
  const traffic = renderStackedBarChart({
    ...common,
    id: id("traffic"),
    title: trafficTitle,
    description:
      `Stacked bars of the requests served per interval by the legacy monolith and by ${service}, ${span}. ` +
      `${seriesSummary(`share served by ${service}`, shares, (v) => formatPercent(v))}.`,
    yTitle: "requests per interval",
    formatY: formatNumber,
    layers: [
      { label: "legacy", colour: legacy },
      { label: service, colour: svc },
    ],
    points: points.map((p) => ({ at: p.at, values: [p.servedByLegacy, p.servedByService] })),
  });

  const line = (name: string, title: string, prefix: string, yTitle: string, minMax: number, series: LineSeries[]) => {
    const format = yTitle.endsWith("(%)") ? formatPercentTick : formatNumber;
    const svg = renderLineChart({
      ...common,
      id: id(name),
      title,
      description: describe(`${prefix}, ${span}.`, series, format),
      yTitle,
      formatY: format,
      minMax,
      series,
    });
    return { id: id(name), title, svg };
  };

  return [
    { id: id("traffic"), title: trafficTitle, svg: traffic },
    line(
      "match-rate",
      `Shadow match rate over time: ${service}`,
      "Share of shadowed requests whose answers matched",
      "match rate (%)",
      100,
      [lineSeries(points, "match rate", CHART_COLOURS.accent, (p) => percent(p.matchRate))],
    ),
    line(
      "cdc-lag",
      `CDC lag over time: ${service}`,
      "Replication lag of the forward (legacy → service) and reverse (service → legacy) streams",
      "lag (s)",
      1,
      [
        lineSeries(points, "forward", legacy, (p) => p.cdcLagSeconds.forward),
        lineSeries(points, "reverse", svc, (p) => p.cdcLagSeconds.reverse, true),
      ],
    ),
    line(
      "error-rate",
      `Error rate over time: legacy vs ${service}`,
      "Share of failed requests on each side",
      "error rate (%)",
      1,
      [
        lineSeries(points, "legacy", legacy, (p) => percent(p.errorRate.legacy)),
        lineSeries(points, service, svc, (p) => percent(p.errorRate.service)),
      ],
    ),
    line(
      "latency",
      `Latency over time: legacy vs ${service}`,
      "Response time percentiles on each side",
      "latency (ms)",
      10,
      [
        lineSeries(points, "legacy p50", legacy, (p) => p.latencyMs.legacyP50),
        lineSeries(points, "legacy p95", legacy, (p) => p.latencyMs.legacyP95, true),
        lineSeries(points, `${service} p50`, svc, (p) => p.latencyMs.serviceP50),
        lineSeries(points, `${service} p95`, svc, (p) => p.latencyMs.serviceP95, true),
      ],
    ),
  ];
}

/** Every service's charts on one shared time axis, with the service's step starts marked; [] without a timeline. */
export function walkthroughCharts(input: WalkthroughReportInput): ServiceCharts[] {
  const range = reportTimeRange(input);
  if (input.timeline.length === 0 || range === null) return [];
  const time = timeAxis(range.start, range.end, { minSpanMs: MIN_TIME_SPAN_MS });
  const steps = numberedSteps(input);
  return reportServices(input)
    .map((service, index) => {
      const points = serviceTimeline(input, service);
      const markers = steps
        .filter((s) => s.service === service && Number.isFinite(Date.parse(s.startedAt)))
        .map((s) => ({
          at: Date.parse(s.startedAt),
          label: String(s.number),
          title: `${s.number}. ${stepName(s)} (${s.outcome})`,
        }));
      return { service, points, charts: points.length > 0 ? serviceCharts(service, index, points, time, markers) : [] };
    })
    .filter((s) => s.points.length > 0)
    .map(({ service, charts }) => ({ service, charts }));
}
