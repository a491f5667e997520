import { XMLValidator } from "fast-xml-parser";
import { timeAxis, valueAxis } from "./chart-scale";
import { chartGeometry } from "./svg-chart-frame";
import { renderStackedBarChart, type StackedBarChartSpec } from "./svg-stacked-bar-chart";
import { findAll, pathSubpaths, svgParser } from "./svg-test-support";

const T0 = Date.parse("2026-12-02T10:00:00Z");
const time = timeAxis(T0, T0 + 60_000, { minSpanMs: 10_000 });

function spec(points: StackedBarChartSpec["points"]): StackedBarChartSpec {
  return {
    id: "bars",
    title: "Traffic",
    description: "traffic",
    yTitle: "requests per interval",
    formatY: String,
    time,
    markers: [],
    layers: [
      { label: "legacy", colour: "#0b5cad" },
      { label: "things-service", colour: "#b83d00" },
    ],
    points,
  };
}

function paths(svg: string) {
  expect(XMLValidator.validate(svg)).toBe(true);
  return findAll(svgParser.parse(svg), "path");
}

describe("renderStackedBarChart", () => {
  it("stacks the service's share on the legacy share, the highest total reaching the top", () => {
    const svg = renderStackedBarChart(
      spec([
        { at: T0, values: [20, 0] },
        { at: T0 + 30_000, values: [10, 10] },
        { at: T0 + 60_000, values: [0, 20] },
      ]),
    );
    const g = chartGeometry(time, valueAxis([20], { minMax: 1 }));
    const [legacy, service] = paths(svg);
    expect(legacy!["data-series"]).toBe("legacy");
    expect(service!["data-series"]).toBe("things-service");
    const legacyBars = pathSubpaths(String(legacy!.d));
    const serviceBars = pathSubpaths(String(service!.d));
    // One rectangle per non-zero value: [top-left, top-right, bottom-right, bottom-left].
    expect(legacyBars).toHaveLength(2);
    expect(serviceBars).toHaveLength(2);
    expect(legacyBars[0]![0]![1]).toBe(g.top);
    expect(legacyBars[0]![2]![1]).toBe(g.bottom);
    const middle = (g.top + g.bottom) / 2;
    expect(legacyBars[1]![0]![1]).toBe(middle);
    expect(serviceBars[0]![0]![1]).toBe(g.top);
    expect(serviceBars[0]![2]![1]).toBe(middle);
    expect(serviceBars[1]![0]![1]).toBe(g.top);
    // Bars sit at their time: the middle one centred on the middle of the axis.
    const [x0, x1] = [serviceBars[0]![0]![0], serviceBars[0]![1]![0]];
    expect((x0 + x1) / 2).toBeCloseTo((g.left + g.right) / 2, 0);
  });

  it("keeps bars inside the plot and apart when there are many points", () => {
    const points = Array.from({ length: 600 }, (_, i) => ({ at: T0 + i * 100, values: [1, 1] }));
    const g = chartGeometry(time, valueAxis([2], { minMax: 1 }));
    const bars = pathSubpaths(String(paths(renderStackedBarChart(spec(points)))[0]!.d));
    expect(bars).toHaveLength(600);
    for (const bar of bars) for (const [x] of bar) expect(x >= g.left && x <= g.right).toBe(true);
  });

  it("draws one point as one visible bar, and no points as no data", () => {
    const one = paths(renderStackedBarChart(spec([{ at: T0 + 5_000, values: [3, 0] }])));
    const [bar] = pathSubpaths(String(one[0]!.d));
    expect(bar![1]![0] - bar![0]![0]).toBeGreaterThan(5);
    const none = renderStackedBarChart(spec([]));
    expect(paths(none)).toHaveLength(0);
    expect(none).toContain(">no data</text>");
  });
});
