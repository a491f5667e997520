import { type TimeAxis, valueAxis } from "./chart-scale";
import { escapeHtml } from "./html-escape";
import {
  type ChartGeometry,
  chartGeometry,
  coordinate,
  noDataText,
  renderChartShell,
  type StepMarker,
} from "./svg-chart-frame";

/** One line of a line chart; a null value is a gap (no data in that interval), not a zero. */
export interface LineSeries {
  label: string;
  colour: string;
  dashed?: boolean;
  points: Array<{ at: number; value: number | null }>;
}

/** A line chart over time: values in the unit `formatY` prints, drawn from zero up. */
export interface LineChartSpec {
  id: string;
  title: string;
  description: string;
  yTitle: string;
  formatY: (value: number) => string;
  time: TimeAxis;
  /** The value axis reaches at least this high (e.g. 100 for a percentage). */
  minMax: number;
  markers: StepMarker[];
  series: LineSeries[];
}

/** Runs of consecutive non-null points, in time order: a null splits the line. */
function segments(points: LineSeries["points"]): Array<Array<{ at: number; value: number }>> {
  const runs: Array<Array<{ at: number; value: number }>> = [];
  let run: Array<{ at: number; value: number }> = [];
  for (const p of [...points].sort((a, b) => a.at - b.at)) {
    if (p.value === null || !Number.isFinite(p.value)) {
      if (run.length > 0) runs.push(run);
      run = [];
    } else run.push({ at: p.at, value: p.value });
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

function seriesPath(series: LineSeries, g: ChartGeometry): string {
  const runs = segments(series.points);
  if (runs.length === 0) return "";
  const d = runs
    .map((run) =>
      run.map((p, i) => `${i === 0 ? "M" : "L"}${coordinate(g.x(p.at))} ${coordinate(g.y(p.value))}`).join(""),
    )
    .join("");
  // A lone point between gaps has no line to show it: a dot does.
  const dots = runs
    .filter((run) => run.length === 1)
    .map(
      ([p]) =>
        `<circle cx="${coordinate(g.x(p!.at))}" cy="${coordinate(g.y(p!.value))}" r="2.5" fill="${series.colour}"/>`,
    )
    .join("");
  const dash = series.dashed ? ' stroke-dasharray="6 4"' : "";
  return (
    `<path class="series" data-series="${escapeHtml(series.label)}" d="${d}" fill="none" stroke="${series.colour}"` +
    ` stroke-width="2" stroke-linejoin="round" stroke-linecap="round"${dash}/>${dots}`
  );
}

/** An SVG line chart; a chart whose series hold no value at all says "no data". */
export function renderLineChart(spec: LineChartSpec): string {
  const values = spec.series.flatMap((s) => s.points.map((p) => p.value)).filter((v): v is number => v !== null);
  const value = valueAxis(values, { minMax: spec.minMax });
  const g = chartGeometry(spec.time, value);
  const body = values.length === 0 ? noDataText(spec.time, value) : spec.series.map((s) => seriesPath(s, g)).join("");
  const legend = spec.series.map((s) => ({
    label: s.label,
    colour: s.colour,
    kind: s.dashed ? ("dashed" as const) : ("line" as const),
  }));
  return renderChartShell({ ...spec, value, legend }, body);
}
