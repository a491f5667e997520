import type { HttpParityCase, HttpParityReport } from "@strangler/ops-contract";

// Characters XML 1.0 cannot hold at all, not even as a character reference: C0 controls other than
// tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

/** Text for XML content: markup escaped, characters XML cannot hold shown as \uXXXX. */
export function escapeXmlText(text: string): string {
  return text
    .replace(NOT_XML, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`)
    .replace(/[&<>]|\r/g, (c) => ENTITIES[c] ?? c);
}

/** Text for an attribute value in double quotes: also quotes, and whitespace a parser would otherwise normalise. */
export function escapeXmlAttribute(text: string): string {
  return text
    .replace(NOT_XML, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`)
    .replace(/[&<>"'\t\n\r]/g, (c) => ENTITIES[c] ?? c);
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join("");
}

/** The differences and problems of a case, one per line (the body of its <failure> or <error>). */
function details(c: HttpParityCase): string {
  const lines = [
    `${c.method} ${c.path} (${c.file})`,
    ...c.problems,
    ...c.differences.map(
      (d) =>
        `${d.path || "/"} ${d.kind}: legacy ${d.legacy ?? "(missing)"}, service ${d.service ?? "(missing)"}${d.note ? ` (${d.note})` : ""}`,
    ),
  ];
  return lines.join("\n");
}

function failureMessage(c: HttpParityCase): string {
  const paths = c.differences.map((d) => `${d.path || "/"} (${d.kind})`);
  return [...(paths.length > 0 ? [`differs at ${paths.join(", ")}`] : []), ...c.problems].join("; ");
}

function testcase(c: HttpParityCase): string {
  const open = `    <testcase${attributes({
    name: c.name,
    classname: `parity-http.${c.service}.${c.routeId}`,
    file: c.file,
    time: seconds(c.durationMs),
  })}`;
  if (c.outcome === "passed") return `${open}/>`;
  const inner =
    c.outcome === "skipped"
      ? `<skipped${attributes({ message: c.reason ?? "skipped" })}/>`
      : c.outcome === "error"
        ? `<error${attributes({ message: c.problems.join("; "), type: "unreachable" })}>${escapeXmlText(details(c))}</error>`
        : `<failure${attributes({ message: failureMessage(c), type: "difference" })}>${escapeXmlText(details(c))}</failure>`;
  return `${open}>\n      ${inner}\n    </testcase>`;
}

/**
 * The report as JUnit XML (the Ant/Surefire dialect CI tools read): one <testsuite> per service and
 * route, one <testcase> per corpus case; a difference is a <failure> naming the differing field paths,
 * an unreachable side an <error>, a write without dry-run <skipped/>.
 */
export function formatJunitXml(report: HttpParityReport): string {
  const suites = new Map<string, HttpParityCase[]>();
  for (const c of report.cases) {
    const key = `${c.service} ${c.routeId}`;
    suites.set(key, [...(suites.get(key) ?? []), c]);
  }
  const count = (cases: readonly HttpParityCase[], outcome: HttpParityCase["outcome"]) =>
    cases.filter((c) => c.outcome === outcome).length;
  const total = (cases: readonly HttpParityCase[]) => cases.reduce((sum, c) => sum + c.durationMs, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({
      name: "strangler parity http",
      tests: report.cases.length,
      failures: count(report.cases, "failed"),
      errors: count(report.cases, "error"),
      skipped: count(report.cases, "skipped"),
      time: seconds(Date.parse(report.finishedAt) - Date.parse(report.startedAt)),
      timestamp: report.startedAt,
    })}>`,
  ];
  for (const [name, cases] of suites) {
    out.push(
      `  <testsuite${attributes({
        name,
        tests: cases.length,
        failures: count(cases, "failed"),
        errors: count(cases, "error"),
        skipped: count(cases, "skipped"),
        time: seconds(total(cases)),
        timestamp: report.startedAt,
      })}>`,
    );
    for (const c of cases) out.push(testcase(c));
    out.push("  </testsuite>");
  }
  out.push("</testsuites>", "");
  return out.join("\n");
}
