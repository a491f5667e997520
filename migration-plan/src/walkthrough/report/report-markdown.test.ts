import { renderWalkthroughMarkdown } from "./report-markdown";
import { SAMPLE_SERVICE, sampleReportInput } from "./walkthrough-report-fixtures";

describe("renderWalkthroughMarkdown", () => {
  const markdown = renderWalkthroughMarkdown(sampleReportInput());

  it("summarises the load, the parity at the end and who owns the writes", () => {
    expect(markdown).toMatch(/^# Strangler walkthrough: things-service\n/);
    expect(markdown).toContain("| requests | 12,345 (10,000 reads, 2,345 writes) |");
    expect(markdown).toContain("| failed requests | 0 |");
    expect(markdown).toContain("| data parity at the end | 100 % (2 tables, 5,700 rows: 5,700 matching, 0 mismatched,");
    expect(markdown).toContain("| things-service | public.things | service |");
    expect(markdown).toContain("[the report with charts](<report.html>)");
    expect(markdown).toContain("[the dashboard](<http://127.0.0.1:4100/dashboard>)");
  });

  it("has a section per step with what it proved and the gate figures", () => {
    expect(markdown).toContain("### 4. shadow: passed");
    expect(markdown).toContain("- shadow shadow held under load");
    expect(markdown).toContain(
      "| shadow-match-rate | pass | matchRate=0.9995, minMatchRate=0.999, sample=2,000, minSample=100 | match rate 0.9995 over 2,000 requests |",
    );
    expect(markdown).toContain("### 5. canary-reads · 1 %: passed");
    expect(markdown).toContain("### 10. decommission: passed");
  });

  it("charts the timeline as sparklines with min, max and last", () => {
    expect(markdown).toContain("25 samples from 0:00 to 2:00, one character ≈ 5 s");
    expect(markdown).toMatch(/\| share served by things-service \| `▁+[▂▅]+█+` \| 0 % \| 100 % \| 100 % \|/);
    expect(markdown).toMatch(/\| shadow match rate \| `·+█+▁█+·█+` \| 95 % \| 100 % \| 100 % \|/);
    expect(markdown).toContain("| latency p95 legacy |");
    expect(markdown).toMatch(/\| latency p95 legacy \| `[^`]+` \| 25 ms \| 40 ms \| 25 ms \|/);
  });

  it("lists parity per table and the audit log", () => {
    expect(markdown).toContain("| things-service | public.thing\\_parts | 4,200 | 4,200 | 0 | 0 | 0 | 100 % |");
    expect(markdown).toContain(
      "| 2 | 2026-12-02 10:01:50 UTC | walkthrough | things-service | next | switch-writes 0 (in\\_progress) → decommission 0 (done) | writes switched; reverse sync on | cdc-lag: pass |",
    );
  });

  it("reports failed requests and a parity shortfall without rounding it away", () => {
    const input = sampleReportInput();
    input.load = { ...input.load, failed: 2, failures: [{ at: "2026-12-02T10:00:42Z", what: "GET /things/1: 502" }] };
    input.parity[0] = { ...input.parity[0]!, matching: 1_499, mismatched: 1 };
    const text = renderWalkthroughMarkdown(input);
    expect(text).toContain("| failed requests | 2 |");
    expect(text).toContain("| 2026-12-02 10:00:42 UTC | GET /things/1: 502 |");
    expect(text).toContain("… and 1 more not listed.");
    expect(text).toContain("| data parity at the end | 99.98 % (");
    expect(text).toContain("| 99.93 % |");
  });

  it("escapes text from the input so it cannot add markup or break a table", () => {
    const evil = "<script>alert(1)</script>|x";
    const input = sampleReportInput({ title: evil });
    input.steps[0] = { ...input.steps[0]!, service: evil, proved: ["*bold* [link](javascript:alert(1))"] };
    const text = renderWalkthroughMarkdown(input);
    expect(text).not.toContain("<script>");
    expect(text).toContain("# &lt;script&gt;alert(1)&lt;/script&gt;\\|x");
    expect(text).toContain("- \\*bold\\* \\[link\\](javascript:alert(1))");
  });

  it("says no data for an empty timeline and no steps", () => {
    const text = renderWalkthroughMarkdown(sampleReportInput({ timeline: [], steps: [], parity: [], audit: [] }));
    expect(text).toContain("## Over time\n\nno data: the timeline is empty.");
    expect(text).toContain("no steps ran.");
    expect(text).toContain("| data parity at the end | not measured |");
    expect(text).toContain(SAMPLE_SERVICE);
  });
});
