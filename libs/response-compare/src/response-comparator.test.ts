import { compileCompareRules } from "./compare-rules";
import { compareResponses, compareSameSide } from "./response-comparator";
import { jsonResponse, rawResponse } from "./testing/responses";

const NO_RULES = compileCompareRules(undefined, undefined);
const diff = (legacy: unknown, service: unknown, rules = NO_RULES) =>
  compareResponses(jsonResponse(legacy), jsonResponse(service), rules).differences;

describe("compareResponses", () => {
  it("finds two equal answers equal, with an empty signature, even when their bytes differ", () => {
    const result = compareResponses(jsonResponse('{"a": 1, "b": [1, 2]}'), jsonResponse('{"b":[1,2],"a":1}'), NO_RULES);
    expect(result).toStrictEqual({ equal: true, differences: [], signature: "" });
  });

  it("reports a different status at /status", () => {
    const result = compareResponses(jsonResponse({}, {}, 200), jsonResponse({}, {}, 404), NO_RULES);
    expect(result.differences).toStrictEqual([{ path: "/status", kind: "status", legacy: "200", service: "404" }]);
    expect(result.signature).toBe("status /status");
  });

  it("compares content-type by media type and reports a different one at /headers/content-type", () => {
    const charset = jsonResponse({}, { "content-type": "application/json; charset=utf-8" });
    expect(compareResponses(jsonResponse({}), charset, NO_RULES).equal).toBe(true);
    const problem = jsonResponse({}, { "content-type": "application/problem+json" });
    expect(compareResponses(jsonResponse({}), problem, NO_RULES).differences).toStrictEqual([
      {
        path: "/headers/content-type",
        kind: "header",
        legacy: '"application/json"',
        service: '"application/problem+json"',
      },
    ]);
  });

  it("compares only the configured headers, and reports one that is absent on a side", () => {
    const rules = compileCompareRules({ headers: ["ETag"], ignore: [], normalise: [], arrays: [], map: {} }, undefined);
    const legacy = jsonResponse({}, { etag: '"1"', "content-type": "text/plain" });
    expect(compareResponses(legacy, jsonResponse({}, { etag: '"1"' }), rules).equal).toBe(true);
    expect(compareResponses(legacy, jsonResponse({}), rules).differences).toStrictEqual([
      { path: "/headers/etag", kind: "header", legacy: '"\\"1\\""' },
    ]);
  });

  it("reports a different value with both values JSON-encoded", () => {
    expect(diff({ name: "Ada", age: 36 }, { name: "Ada", age: 37 })).toStrictEqual([
      { path: "/age", kind: "value", legacy: "36", service: "37" },
    ]);
    expect(diff({ ok: true }, { ok: false })).toStrictEqual([
      { path: "/ok", kind: "value", legacy: "true", service: "false" },
    ]);
  });

  it.each([
    ["a string and a number", "7", 7],
    ["an object and an array", {}, []],
    ["null and a string", null, "x"],
    ["a number and a boolean", 0, false],
  ])("reports %s as a type difference", (_case, a, b) => {
    expect(diff({ v: a }, { v: b })).toStrictEqual([
      { path: "/v", kind: "type", legacy: JSON.stringify(a), service: JSON.stringify(b) },
    ]);
  });

  it("reports a field only the legacy side has as missing, and one only the service has as extra", () => {
    expect(diff({ a: 1, gone: { x: 1 } }, { a: 1, added: [1] })).toStrictEqual([
      { path: "/gone", kind: "missing", legacy: '{"x":1}' },
      { path: "/added", kind: "extra", service: "[1]" },
    ]);
  });

  it("reports arrays of different lengths once and still compares their common prefix by position", () => {
    expect(diff({ xs: [1, 2, 3] }, { xs: [1, 5] })).toStrictEqual([
      { path: "/xs", kind: "length", legacy: "3", service: "2" },
      { path: "/xs/1", kind: "value", legacy: "2", service: "5" },
    ]);
  });

  it("reports the same elements in another order as one order difference", () => {
    expect(diff({ xs: [{ a: 1 }, { a: 2 }, "z"] }, { xs: ["z", { a: 2 }, { a: 1 }] })).toStrictEqual([
      { path: "/xs", kind: "order", legacy: '[{"a":1},{"a":2},"z"]', service: '["z",{"a":2},{"a":1}]' },
    ]);
    // Not a permutation: positional differences stay.
    expect(diff([1, 2, 2], [2, 1, 1]).map((d) => `${d.kind} ${d.path}`)).toStrictEqual([
      "value /0",
      "value /1",
      "value /2",
    ]);
  });

  it("compares bodies that are not JSON by bytes, at path ''", () => {
    const result = compareResponses(rawResponse("<p>a</p>"), rawResponse("<p>b</p>"), NO_RULES);
    expect(result.differences).toStrictEqual([
      { path: "", kind: "bytes", legacy: '"<p>a</p>"', service: '"<p>b</p>"' },
    ]);
    expect(result.signature).toBe("bytes ");
    expect(compareResponses(rawResponse("same"), rawResponse("same"), NO_RULES).equal).toBe(true);
  });

  it("compares bodies structurally when both parse as JSON even without a JSON content-type", () => {
    expect(compareResponses(rawResponse('{"a":1}'), rawResponse('{ "a": 1 }'), NO_RULES).equal).toBe(true);
  });

  it("compares a body that says it is JSON but is not by bytes, and says so", () => {
    const result = compareResponses(jsonResponse("{oops"), jsonResponse({ a: 1 }), NO_RULES);
    expect(result.differences).toStrictEqual([
      {
        path: "",
        kind: "bytes",
        legacy: '"{oops"',
        service: '"{\\"a\\":1}"',
        note: "legacy body declared JSON but is not valid JSON; compared as bytes",
      },
    ]);
  });

  it("reports status, header and body differences together, and signs them sorted", () => {
    const result = compareResponses(
      jsonResponse({ b: 1, a: [1] }, {}, 200),
      jsonResponse({ b: 2, a: [1, 2] }, { "content-type": "text/json" }, 201),
      NO_RULES,
    );
    expect(result.differences.map((d) => d.path)).toStrictEqual(["/status", "/headers/content-type", "/b", "/a"]);
    expect(result.signature).toBe("header /headers/content-type\nlength /a\nstatus /status\nvalue /b");
  });

  it("cuts long values to a few hundred characters", () => {
    const [difference] = diff({ text: "a".repeat(5_000) }, { text: "b".repeat(5_000) });
    expect(difference?.legacy).toHaveLength(300);
    expect(difference?.legacy?.endsWith("…")).toBe(true);
  });
});

describe("compareSameSide", () => {
  const rules = compileCompareRules(
    { ignore: ["/at"], normalise: [], arrays: [], map: { "/name": "/displayName" } },
    undefined,
  );

  it("applies the rules but not the old→new map", () => {
    expect(compareSameSide(jsonResponse({ name: "a", at: 1 }), jsonResponse({ name: "a", at: 2 }), rules).equal).toBe(
      true,
    );
    expect(compareResponses(jsonResponse({ name: "a" }), jsonResponse({ name: "a" }), rules).differences).toStrictEqual(
      [
        { path: "/displayName", kind: "missing", legacy: '"a"' },
        { path: "/name", kind: "extra", service: '"a"' },
      ],
    );
  });
});
