import { linearScale, type TimeAxis, type ValueAxis } from "./chart-scale";
import { escapeHtml } from "./html-escape";
import { formatElapsed } from "./report-format";

/** A step boundary drawn on a chart's time axis: a numbered line, its full name in a tooltip. */
export interface StepMarker {
  at: number;
  label: string;
  title: string;
}

/** One entry of a chart's legend. */
export interface LegendItem {
  label: string;
  colour: string;
  kind: "line" | "dashed" | "area";
}

/** What every chart has around its data: title, description, axes, step boundaries and legend. */
export interface ChartShell {
  /** Unique within the page: the ids of the chart's <title> and <desc> derive from it. */
  id: string;
  title: string;
  description: string;
  yTitle: string;
  formatY: (value: number) => string;
  time: TimeAxis;
  value: ValueAxis;
  markers: StepMarker[];
  legend: LegendItem[];
}

/** The plot area in SVG user units, and the maps from time (ms since epoch) and value onto it. */
export interface ChartGeometry {
  left: number;
  right: number;
  top: number;
  bottom: number;
  x: (at: number) => number;
  y: (value: number) => number;
}

/** Colours with at least 4.5:1 (text) or 3:1 (lines, areas) contrast on the white background. */
export const CHART_COLOURS = {
  text: "#1f1f1f",
  axis: "#595959",
  grid: "#e0e0e0",
  marker: "#6b6b6b",
  legacy: "#0b5cad",
  service: "#b83d00",
  accent: "#1a7a4c",
} as const;

const WIDTH = 720;
const PLOT_HEIGHT = 180;
const MARGIN = { top: 30, right: 20, bottom: 72, left: 64 };
const HEIGHT = MARGIN.top + PLOT_HEIGHT + MARGIN.bottom;
// No font is embedded (the file must work offline), so text widths are estimated for layout.
const CHAR_WIDTH = 6.6;
const MARKER_ROWS = [12, 24];

/** Coordinates in the SVG: one decimal is finer than a pixel and keeps files small. */
export const coordinate = (v: number): string => String(Math.round(v * 10) / 10);

/** The plot area and scales of a chart with these axes. */
export function chartGeometry(time: TimeAxis, value: ValueAxis): ChartGeometry {
  const left = MARGIN.left;
  const right = WIDTH - MARGIN.right;
  const top = MARGIN.top;
  const bottom = MARGIN.top + PLOT_HEIGHT;
  return {
    left,
    right,
    top,
    bottom,
    x: linearScale([time.start, time.end], [left, right]),
    y: linearScale([value.min, value.max], [bottom, top]),
  };
}

function valueGrid(shell: ChartShell, g: ChartGeometry): string {
  return shell.value.ticks
    .map((tick) => {
      const y = coordinate(g.y(tick));
      return (
        `<line x1="${g.left}" x2="${g.right}" y1="${y}" y2="${y}" stroke="${CHART_COLOURS.grid}"/>` +
        `<text x="${g.left - 6}" y="${y}" dy="0.32em" text-anchor="end">${escapeHtml(shell.formatY(tick))}</text>`
      );
    })
    .join("");
}

function timeTicks(shell: ChartShell, g: ChartGeometry): string {
  return shell.time.ticks
    .map((seconds) => {
      const x = coordinate(g.x(shell.time.start + seconds * 1000));
      return (
        `<line x1="${x}" x2="${x}" y1="${g.bottom}" y2="${g.bottom + 5}" stroke="${CHART_COLOURS.axis}"/>` +
        `<text x="${x}" y="${g.bottom + 18}" text-anchor="middle">${formatElapsed(seconds)}</text>`
      );
    })
    .join("");
}

function stepMarkers(shell: ChartShell, g: ChartGeometry): string {
  const rowEnds = MARKER_ROWS.map(() => -Infinity);
  return shell.markers
    .filter((m) => m.at >= shell.time.start && m.at <= shell.time.end)
    .map((m) => {
      const x = g.x(m.at);
      const half = (m.label.length * CHAR_WIDTH) / 2 + 2;
      // Close steps (the canary's stages) would print over each other: the next free row takes the label,
      // and with no row free the line goes without one (its tooltip still names the step).
      const row = rowEnds.findIndex((end) => x - half >= end);
      if (row !== -1) rowEnds[row] = x + half;
      const label =
        row === -1
          ? ""
          : `<text x="${coordinate(x)}" y="${MARKER_ROWS[row]}" text-anchor="middle" fill="${CHART_COLOURS.marker}">${escapeHtml(m.label)}</text>`;
      return (
        `<g class="step-marker"><title>${escapeHtml(m.title)}</title>` +
        `<line x1="${coordinate(x)}" x2="${coordinate(x)}" y1="${g.top - 3}" y2="${g.bottom}" stroke="${CHART_COLOURS.marker}" stroke-dasharray="3 3"/>` +
        `${label}</g>`
      );
    })
    .join("");
}

function legend(items: LegendItem[], y: number): string {
  let x = MARGIN.left;
  return items
    .map((item) => {
      const sample =
        item.kind === "area"
          ? `<rect x="${x}" y="${y - 9}" width="14" height="10" fill="${item.colour}"/>`
          : `<line x1="${x}" x2="${x + 18}" y1="${y - 4}" y2="${y - 4}" stroke="${item.colour}" stroke-width="2.5"${item.kind === "dashed" ? ' stroke-dasharray="5 3"' : ""}/>`;
      const text = `<text x="${x + 24}" y="${y}">${escapeHtml(item.label)}</text>`;
      x += 24 + item.label.length * CHAR_WIDTH + 18;
      return sample + text;
    })
    .join("");
}

/** The whole <svg> of a chart: `body` (the data, drawn in `chartGeometry`'s coordinates) inside axes, markers and legend. */
export function renderChartShell(shell: ChartShell, body: string): string {
  const g = chartGeometry(shell.time, shell.value);
  const titleId = `${shell.id}-title`;
  const descId = `${shell.id}-desc`;
  const middleY = coordinate((g.top + g.bottom) / 2);
  const clock = shell.time.end - shell.time.start >= 3_600_000 ? "h:mm:ss" : "m:ss";
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${shell.id}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}"`,
    ` role="img" aria-label="${escapeHtml(shell.title)}" aria-describedby="${descId}"`,
    ` font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="11" fill="${CHART_COLOURS.text}">`,
    `<title id="${titleId}">${escapeHtml(shell.title)}</title>`,
    `<desc id="${descId}">${escapeHtml(shell.description)}</desc>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    valueGrid(shell, g),
    body,
    `<line x1="${g.left}" x2="${g.right}" y1="${g.bottom}" y2="${g.bottom}" stroke="${CHART_COLOURS.axis}"/>`,
    `<line x1="${g.left}" x2="${g.left}" y1="${g.top}" y2="${g.bottom}" stroke="${CHART_COLOURS.axis}"/>`,
    timeTicks(shell, g),
    stepMarkers(shell, g),
    `<text x="${coordinate((g.left + g.right) / 2)}" y="${g.bottom + 36}" text-anchor="middle">time since start (${clock})</text>`,
    `<text transform="translate(14 ${middleY}) rotate(-90)" text-anchor="middle">${escapeHtml(shell.yTitle)}</text>`,
    legend(shell.legend, g.bottom + 60),
    `</svg>`,
  ].join("");
}

/** The text a chart without any data shows in its plot area. */
export function noDataText(time: TimeAxis, value: ValueAxis): string {
  const g = chartGeometry(time, value);
  return `<text class="no-data" x="${coordinate((g.left + g.right) / 2)}" y="${coordinate((g.top + g.bottom) / 2)}" text-anchor="middle" font-size="14" fill="${CHART_COLOURS.axis}">no data</text>`;
}
