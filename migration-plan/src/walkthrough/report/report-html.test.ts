import { XMLValidator } from "fast-xml-parser";
import { renderWalkthroughHtml } from "./report-html";
import { findAll, pathSubpaths, svgParser } from "./svg-test-support";
import {
  SAMPLE_MAX_LATENCY_MS,
  SAMPLE_START,
  sampleReportInput,
  SAMPLE_REQUESTS_PER_POINT,
} from "./walkthrough-report-fixtures";
import type { WalkthroughReportInput } from "./walkthrough-report-input";

const PLOT_TOP = 30; // svg-chart-frame's top margin: the value axis' maximum is drawn there

function parse(html: string) {
  expect(XMLValidator.validate(html)).toBe(true);
  return svgParser.parse(html) as unknown;
}

function charts(html: string) {
  return findAll(parse(html), "svg");
}

const chart = (html: string, name: string) => charts(html).find((c) => String(c.id).endsWith(`-${name}`))!;
const seriesPaths = (svg: Record<string, unknown>) => findAll(svg, "path").filter((p) => p.class === "series");

describe("renderWalkthroughHtml", () => {
  const html = renderWalkthroughHtml(sampleReportInput());

  it("is one well-formed page that loads nothing from outside and runs no script", () => {
    parse(html);
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).not.toMatch(/<script|<link|\ssrc=|@import|url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it("holds the same figures as the Markdown", () => {
    for (const text of [
      "12,345 (10,000 reads, 2,345 writes)",
      "100 % (2 tables, 5,700 rows",
      "public.thing_parts",
      "0.9995",
    ])
      expect(html).toContain(text);
    expect(html).toContain('<a href="http://127.0.0.1:4100/dashboard">dashboard</a>');
    expect(html).toContain('<section class="step" id="step-4">');
  });

  it("draws five accessible charts, each with non-empty path data", () => {
    const svgs = charts(html);
    expect(svgs.map((s) => String(s.id).replace(/^chart-1-/, ""))).toEqual([
      "traffic",
      "match-rate",
      "cdc-lag",
      "error-rate",
      "latency",
    ]);
    for (const svg of svgs) {
      expect(svg.role).toBe("img");
      expect(String(svg["aria-label"]).length).toBeGreaterThan(0);
      expect(svg.title).toBeDefined();
      expect(String((svg.desc as Record<string, unknown>)["#text"]).length).toBeGreaterThan(20);
      const paths = seriesPaths(svg);
      expect(paths.length).toBeGreaterThan(0);
      for (const p of paths) expect(pathSubpaths(String(p.d)).flat().length).toBeGreaterThan(0);
    }
  });

  it("draws the points where the input puts them", () => {
    // Traffic: every sample totals the maximum, so every stacked bar reaches the top.
    const [legacy, service] = seriesPaths(chart(html, "traffic"));
    const tops = [...pathSubpaths(String(legacy!.d)), ...pathSubpaths(String(service!.d))];
    const perPoint = new Map<number, number>();
    for (const bar of tops) perPoint.set(bar[0]![0], Math.min(perPoint.get(bar[0]![0]) ?? Infinity, bar[0]![1]));
    expect([...perPoint.values()].every((y) => y === PLOT_TOP)).toBe(true);
    expect(SAMPLE_REQUESTS_PER_POINT).toBe(20);

    // Latency: the highest value (legacy p95 at 60 s) is the top of the chart, and the only point there.
    const latency = seriesPaths(chart(html, "latency"));
    const p95 = latency.find((p) => p["data-series"] === "legacy p95")!;
    const points = pathSubpaths(String(p95.d)).flat();
    const highest = points.filter(([, y]) => y === PLOT_TOP);
    expect(highest).toHaveLength(1);
    expect(SAMPLE_MAX_LATENCY_MS).toBe(40);
    // …and it sits at 60 s of the 120 s axis: half way across the plot (64 → 700).
    expect(highest[0]![0]).toBe(382);

    // Match rate: a gap where no request was compared (t = 45 s) splits the line.
    const match = seriesPaths(chart(html, "match-rate"))[0]!;
    expect(pathSubpaths(String(match.d))).toHaveLength(2);
  });

  it("marks the step starts on every chart", () => {
    const traffic = chart(html, "traffic");
    const markers = findAll(traffic, "g").filter((g) => g.class === "step-marker");
    expect(markers.map((m) => m.title)).toContain("5. canary-reads · 1 % (passed)");
    expect(markers).toHaveLength(10);
  });

  it("escapes every text from the input: a service name with a script stays text", () => {
    const evil = `<script>alert("x")</script>`;
    const input = sampleReportInput({ title: evil, links: { dashboard: "javascript:alert(1)" } });
    input.timeline = input.timeline.map((p) => ({ ...p, service: evil }));
    input.steps = input.steps.map((s) => ({ ...s, service: evil, proved: [`<img src=x onerror=alert(1)>`] }));
    input.owners = [{ service: evil, table: "</td><td>", owner: "service" }];
    input.load.failures = [{ at: "now", what: "]]><b>" }];
    const page = renderWalkthroughHtml(input);
    parse(page);
    expect(page).not.toMatch(/<script|<img|<b>|href="javascript/i);
    expect(page).toContain("<td>&lt;/td&gt;&lt;td&gt;</td>");
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(page).toContain("dashboard: javascript:alert(1)");
    // The escaped name is still the chart's name, read back as text.
    expect(charts(page)[0]!["aria-label"]).toBe(`Traffic split over time: legacy vs ${evil}`);
  });

  it("says no data for an empty timeline instead of drawing charts", () => {
    const page = renderWalkthroughHtml(sampleReportInput({ timeline: [] }));
    parse(page);
    expect(charts(page)).toHaveLength(0);
    expect(page).toContain('<p class="no-data">no data: the timeline is empty.</p>');
  });

  it("renders one sample, and a service whose values are all null", () => {
    const one: WalkthroughReportInput = sampleReportInput({
      startedAt: "not a date",
      endedAt: "not a date",
      timeline: [sampleReportInput().timeline[0]!],
    });
    const page = renderWalkthroughHtml(one);
    expect(charts(page)).toHaveLength(5);
    expect(page).toContain(">no data</text>"); // the match rate: nothing compared yet
    const allNull = sampleReportInput({
      timeline: [
        {
          at: SAMPLE_START,
          service: "quiet-service",
          servedByLegacy: 0,
          servedByService: 0,
          matchRate: null,
          cdcLagSeconds: { forward: null, reverse: null },
          errorRate: { legacy: null, service: null },
          latencyMs: { legacyP50: null, legacyP95: null, serviceP50: null, serviceP95: null },
        },
      ],
    });
    const quiet = renderWalkthroughHtml(allNull);
    parse(quiet);
    // Zero requests is a measurement (an empty bar chart); the null figures are no data.
    expect(quiet.match(/>no data<\/text>/g)).toHaveLength(4);
  });
});
