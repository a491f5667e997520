import { XMLValidator } from "fast-xml-parser";
import { timeAxis, valueAxis } from "./chart-scale";
import { chartGeometry } from "./svg-chart-frame";
import { type LineChartSpec, renderLineChart } from "./svg-line-chart";
import { findAll, pathSubpaths, svgParser } from "./svg-test-support";

const T0 = Date.parse("2026-12-02T10:00:00Z");
const time = timeAxis(T0, T0 + 60_000, { minSpanMs: 10_000 });

function spec(values: Array<number | null>, extra: Partial<LineChartSpec> = {}): LineChartSpec {
  return {
    id: "chart-test",
    title: "Test chart",
    description: "a test",
    yTitle: "value (%)",
    formatY: String,
    time,
    minMax: 1,
    markers: [],
    series: [
      {
        label: "things",
        colour: "#0b5cad",
        points: values.map((value, i) => ({ at: T0 + (i * 60_000) / Math.max(1, values.length - 1), value })),
      },
    ],
    ...extra,
  };
}

function parse(svg: string) {
  expect(XMLValidator.validate(svg)).toBe(true);
  const root = svgParser.parse(svg);
  return { svg: findAll(root, "svg")[0]!, paths: findAll(root, "path"), circles: findAll(root, "circle") };
}

describe("renderLineChart", () => {
  it("draws the points where the input puts them: the maximum at the top, zero at the bottom, time left to right", () => {
    const { paths } = parse(renderLineChart(spec([0, 50, 100])));
    const g = chartGeometry(time, valueAxis([100], { minMax: 1 }));
    const [points] = pathSubpaths(String(paths[0]!.d));
    expect(points).toEqual([
      [g.left, g.bottom],
      [(g.left + g.right) / 2, (g.top + g.bottom) / 2],
      [g.right, g.top],
    ]);
  });

  it("breaks the line at a null instead of drawing it as zero", () => {
    const { paths, circles } = parse(renderLineChart(spec([10, 20, null, 30, 40])));
    const subpaths = pathSubpaths(String(paths[0]!.d));
    expect(subpaths.map((s) => s.length)).toEqual([2, 2]);
    expect(circles).toHaveLength(0);
  });

  it("shows a lone point (one sample, or one between gaps) as a dot", () => {
    const { paths, circles } = parse(renderLineChart(spec([5])));
    expect(pathSubpaths(String(paths[0]!.d))).toHaveLength(1);
    expect(circles).toHaveLength(1);
    expect(parse(renderLineChart(spec([null, 5, null, 6, 7]))).circles).toHaveLength(1);
  });

  it("says no data when every value is null, and when there are no points", () => {
    for (const values of [[null, null], []]) {
      const svg = renderLineChart(spec(values));
      expect(parse(svg).paths).toHaveLength(0);
      expect(svg).toContain(">no data</text>");
    }
  });

  it("is an accessible image: role, label, title and description, holding the input text as text", () => {
    const { svg } = parse(renderLineChart(spec([1, 2], { title: 'Lag of <b>"x"</b>', description: "desc & more" })));
    expect(svg.role).toBe("img");
    expect(svg["aria-label"]).toBe('Lag of <b>"x"</b>');
    expect(svg["aria-describedby"]).toBe("chart-test-desc");
    expect(svg.title).toEqual({ "#text": 'Lag of <b>"x"</b>', id: "chart-test-title" });
    expect(svg.desc).toEqual({ "#text": "desc & more", id: "chart-test-desc" });
  });

  it("dashes the series asked to be dashed and lists every series in the legend", () => {
    const svg = renderLineChart({
      ...spec([1, 2]),
      series: [
        { label: "p50", colour: "#000000", points: [{ at: T0, value: 1 }] },
        { label: "p95", colour: "#000000", dashed: true, points: [{ at: T0, value: 2 }] },
      ],
    });
    const { paths } = parse(svg);
    expect(paths.map((p) => p["stroke-dasharray"])).toEqual([undefined, "6 4"]);
    expect(svg).toMatch(/>p50<\/text>.*>p95<\/text>/);
  });

  it("marks step starts inside the time axis, with their names as tooltips", () => {
    const svg = renderLineChart(
      spec([1, 2], {
        markers: [
          { at: T0 + 30_000, label: "4", title: "4. shadow (passed)" },
          { at: T0 + 600_000, label: "9", title: "outside the axis" },
        ],
      }),
    );
    const g = chartGeometry(time, valueAxis([2], { minMax: 1 }));
    const markers = findAll(svgParser.parse(svg), "g").filter((e) => e.class === "step-marker");
    expect(markers).toHaveLength(1);
    expect(markers[0]!.title).toBe("4. shadow (passed)");
    expect(Number((markers[0]!.line as Array<Record<string, string>>)[0]!.x1)).toBe((g.left + g.right) / 2);
  });

  it("keeps the line of a step too close to label, naming it in its tooltip", () => {
    const markers = ["5", "6", "7", "8"].map((label, i) => ({
      at: T0 + 30_000 + i * 10,
      label,
      title: `step ${label}`,
    }));
    const groups = findAll(svgParser.parse(renderLineChart(spec([1, 2], { markers }))), "g");
    expect(groups.map((g) => g.title)).toEqual(["step 5", "step 6", "step 7", "step 8"]);
    expect(groups.map((g) => (g.text ? 1 : 0))).toEqual([1, 1, 0, 0]);
  });

  it("labels the time axis with elapsed clock time and the value axis with ticks", () => {
    const svg = renderLineChart(spec([0, 100]));
    for (const label of ["0:00", "0:30", "1:00", "time since start (m:ss)", "value (%)"])
      expect(svg).toContain(`>${label}</text>`);
    for (const tick of ["0", "20", "100"]) expect(svg).toContain(`>${tick}</text>`);
  });
});
