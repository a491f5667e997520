import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { WALKTHROUGH_REPORT_HTML_FILE, WALKTHROUGH_REPORT_MARKDOWN_FILE } from "../../defaults";
import { renderWalkthroughHtml } from "./report-html";
import { renderWalkthroughMarkdown } from "./report-markdown";
import type { WalkthroughReportInput } from "./walkthrough-report-input";

/** Writes report.md and report.html into `dir` (created if missing) and returns their paths. */
export async function writeWalkthroughReport(
  dir: string,
  input: WalkthroughReportInput,
): Promise<{ markdown: string; html: string }> {
  await mkdir(dir, { recursive: true });
  const markdown = path.join(dir, WALKTHROUGH_REPORT_MARKDOWN_FILE);
  const html = path.join(dir, WALKTHROUGH_REPORT_HTML_FILE);
  await writeFile(markdown, renderWalkthroughMarkdown(input, { htmlFile: WALKTHROUGH_REPORT_HTML_FILE }), "utf8");
  await writeFile(html, renderWalkthroughHtml(input), "utf8");
  return { markdown, html };
}
