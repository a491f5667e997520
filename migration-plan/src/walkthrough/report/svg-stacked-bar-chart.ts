import { type TimeAxis, valueAxis } from "./chart-scale";
import { escapeHtml } from "./html-escape";
import { chartGeometry, coordinate, noDataText, renderChartShell, type StepMarker } from "./svg-chart-frame";

/** A stacked bar chart over time: at each point, one bar per layer, the first at the bottom. */
export interface StackedBarChartSpec {
  id: string;
  title: string;
  description: string;
  yTitle: string;
  formatY: (value: number) => string;
  time: TimeAxis;
  markers: StepMarker[];
  layers: Array<{ label: string; colour: string }>;
  /** `values[i]` belongs to `layers[i]`. */
  points: Array<{ at: number; values: number[] }>;
}

const MAX_BAR_WIDTH = 24;
const BAR_FILL = 0.8;

/** An SVG stacked bar chart; one path per layer (a rectangle per bar), "no data" without points. */
export function renderStackedBarChart(spec: StackedBarChartSpec): string {
  const points = [...spec.points].sort((a, b) => a.at - b.at);
  const totals = points.map((p) => p.values.reduce((sum, v) => sum + Math.max(0, v), 0));
  const value = valueAxis(totals, { minMax: 1 });
  const g = chartGeometry(spec.time, value);
  const legend = spec.layers.map((l) => ({ label: l.label, colour: l.colour, kind: "area" as const }));
  if (points.length === 0) return renderChartShell({ ...spec, value, legend }, noDataText(spec.time, value));

  // Bars as wide as the closest two points allow, so many points never overlap and one point is still seen.
  let gap = MAX_BAR_WIDTH / BAR_FILL;
  for (let i = 1; i < points.length; i++) {
    const dx = g.x(points[i]!.at) - g.x(points[i - 1]!.at);
    if (dx > 0) gap = Math.min(gap, dx);
  }
  const half = Math.max(0.5, (gap * BAR_FILL) / 2);
  const base = points.map(() => 0);
  const paths = spec.layers.map((layer, li) => {
    const d = points
      .map((p, pi) => {
        const v = Math.max(0, p.values[li] ?? 0);
        const from = base[pi]!;
        base[pi] = from + v;
        if (v === 0) return "";
        const cx = g.x(p.at);
        const x0 = coordinate(Math.max(g.left, cx - half));
        const x1 = coordinate(Math.min(g.right, cx + half));
        return `M${x0} ${coordinate(g.y(from + v))}H${x1}V${coordinate(g.y(from))}H${x0}Z`;
      })
      .join("");
    return d === ""
      ? ""
      : `<path class="series" data-series="${escapeHtml(layer.label)}" d="${d}" fill="${layer.colour}"/>`;
  });
  return renderChartShell({ ...spec, value, legend }, paths.join(""));
}
