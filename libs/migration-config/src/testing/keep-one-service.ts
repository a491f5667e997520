/**
 * For tests: a migration config text with one entry of its `services:` list kept, so a test that
 * streams or routes one service of the example does not also start the others (whose databases and
 * apps it never creates). Entries start at `  - name: <name>`; the list ends at the next line that
 * starts in the first column. Text, not YAML: the `${…}` references are only YAML once interpolated.
 */
export function keepOneService(text: string, name: string, source = "the config"): string {
  const lines = text.split("\n");
  const start = lines.indexOf("services:");
  if (start < 0) throw new Error(`${source} changed: no "services:" line`);
  const endOffset = lines.slice(start + 1).findIndex((line) => /^\S/.test(line));
  const end = endOffset < 0 ? lines.length : start + 1 + endOffset;
  const entries: string[][] = [];
  for (const line of lines.slice(start + 1, end)) {
    if (line.startsWith("  - name: ")) entries.push([line]);
    else entries[entries.length - 1]?.push(line);
  }
  const kept = entries.find((entry) => entry[0] === `  - name: ${name}`);
  if (!kept) throw new Error(`${source} changed: no services entry "  - name: ${name}"`);
  return [...lines.slice(0, start + 1), ...kept, ...lines.slice(end)].join("\n");
}
