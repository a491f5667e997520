import type { HttpParityCase, HttpParityReport } from "@strangler/ops-contract";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { escapeXmlAttribute, escapeXmlText, formatJunitXml } from "./junit-xml";

const HOSTILE = `]]></failure><x a="1" b='2'>&amp; \u0000\u0007\u001b[31m\uD800 \uFFFE 💥\r\n\ttab`;

function parityCase(outcome: HttpParityCase["outcome"], extra: Partial<HttpParityCase> = {}): HttpParityCase {
  return {
    name: `case ${outcome}`,
    file: `things/${outcome}.yaml`,
    routeId: "things-get",
    service: "things-service",
    method: "GET",
    path: "/things/1",
    outcome,
    dryRun: false,
    answers: { legacy: null, service: null },
    differences: [],
    noise: [],
    problems: [],
    durationMs: 12,
    ...extra,
  };
}

function report(cases: HttpParityCase[]): HttpParityReport {
  const count = (o: HttpParityCase["outcome"]) => cases.filter((c) => c.outcome === o).length;
  return {
    config: "strangler.config.yaml",
    corpus: "parity-corpus",
    startedAt: "2026-12-02T10:00:00.000Z",
    finishedAt: "2026-12-02T10:00:01.500Z",
    learntNoise: "not-configured",
    warnings: [],
    counts: {
      cases: cases.length,
      passed: count("passed"),
      failed: count("failed"),
      skipped: count("skipped"),
      errors: count("error"),
    },
    cases,
    junit: null,
  };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  // Numeric character references (&#10;) decoded, as the XML parsers of CI tools do.
  htmlEntities: true,
  isArray: (name) => name === "testsuite" || name === "testcase",
});

describe("formatJunitXml", () => {
  it("writes one testsuite per route with the counts, a failure naming the differing paths, skipped and error", () => {
    const xml = formatJunitXml(
      report([
        parityCase("passed"),
        parityCase("failed", {
          differences: [
            { path: "/name", kind: "value", legacy: '"Ada Lovelace"', service: '"Ada LOVELACE"' },
            { path: "/status", kind: "status", legacy: "200", service: "404" },
          ],
        }),
        parityCase("skipped", { routeId: "things-create", reason: "a write without dry-run" }),
        parityCase("error", { problems: ["things-service: GET http://127.0.0.1:1/things/1 failed: ECONNREFUSED"] }),
      ]),
    );
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    expect(doc.testsuites).toMatchObject({ tests: "4", failures: "1", errors: "1", skipped: "1", time: "1.500" });
    const [get, create] = doc.testsuites.testsuite;
    expect(get).toMatchObject({
      name: "things-service things-get",
      tests: "3",
      failures: "1",
      errors: "1",
      skipped: "0",
    });
    expect(create).toMatchObject({ name: "things-service things-create", tests: "1", skipped: "1" });
    const failed = get.testcase.find((t: { name: string }) => t.name === "case failed");
    expect(failed.failure.message).toBe("differs at /name (value), /status (status)");
    expect(failed.failure["#text"]).toContain('/name value: legacy "Ada Lovelace", service "Ada LOVELACE"');
    expect(failed.classname).toBe("parity-http.things-service.things-get");
    expect(create.testcase[0].skipped.message).toBe("a write without dry-run");
    expect(get.testcase.find((t: { name: string }) => t.name === "case error").error.message).toContain("ECONNREFUSED");
  });

  it("escapes hostile names, paths and values so the file stays well-formed and says what they were", () => {
    const xml = formatJunitXml(
      report([
        parityCase("failed", {
          name: HOSTILE,
          path: `/things/${HOSTILE}`,
          file: `${HOSTILE}.yaml`,
          differences: [{ path: `/${HOSTILE}`, kind: "value", legacy: HOSTILE, service: "x" }],
          problems: [HOSTILE],
        }),
      ]),
    );
    expect(XMLValidator.validate(xml)).toBe(true);
    const testcase = parser.parse(xml).testsuites.testsuite[0].testcase[0];
    const shown = `]]></failure><x a="1" b='2'>&amp; \\u0000\\u0007\\u001b[31m\\ud800 \\ufffe 💥\r\n\ttab`;
    expect(testcase.name).toBe(shown);
    expect(testcase.failure.message).toContain(shown);
  });

  it("escapes every markup character in text and attributes", () => {
    expect(escapeXmlText(`<a>&"'`)).toBe(`&lt;a&gt;&amp;"'`);
    expect(escapeXmlAttribute(`<a>&"'\n`)).toBe("&lt;a&gt;&amp;&quot;&apos;&#10;");
    expect(escapeXmlText("\u0001")).toBe("\\u0001");
  });
});
