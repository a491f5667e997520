/** A GitHub Markdown table; cells must already be escaped (`escapeMarkdown`), numbers right-aligned where asked. */
export function markdownTable(header: string[], rows: string[][], align: Array<"left" | "right"> = []): string {
  const rule = header.map((_, i) => (align[i] === "right" ? "---:" : "---"));
  const line = (cells: string[]) => `| ${cells.map((c) => (c === "" ? " " : c)).join(" | ")} |`;
  return [line(header), line(rule), ...rows.map(line)].join("\n");
}
