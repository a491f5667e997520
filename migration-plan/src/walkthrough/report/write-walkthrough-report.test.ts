import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sampleReportInput } from "./walkthrough-report-fixtures";
import { writeWalkthroughReport } from "./write-walkthrough-report";

describe("writeWalkthroughReport", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "walkthrough-report-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes report.md and report.html into a new folder and returns their paths", async () => {
    const target = path.join(dir, "reports", "run-1");
    const written = await writeWalkthroughReport(target, sampleReportInput());
    expect(written).toEqual({ markdown: path.join(target, "report.md"), html: path.join(target, "report.html") });
    const markdown = await readFile(written.markdown, "utf8");
    const html = await readFile(written.html, "utf8");
    expect(markdown).toContain("[the report with charts](<report.html>)");
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain("<svg");
  });
});
