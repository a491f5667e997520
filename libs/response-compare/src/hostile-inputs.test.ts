import { compileCompareRules } from "./compare-rules";
import { MAX_COMPARE_DEPTH, MAX_DIFFERENCES } from "./defaults";
import { compareResponses } from "./response-comparator";
import { jsonResponse } from "./testing/responses";

const NO_RULES = compileCompareRules(undefined, undefined);
const compare = (legacy: unknown, service: unknown, rules = NO_RULES) =>
  compareResponses(jsonResponse(legacy), jsonResponse(service), rules);
const nested = (depth: number, leaf: string) => "[".repeat(depth) + leaf + "]".repeat(depth);

describe("hostile inputs", () => {
  it("compares 10,000-deep arrays without overflowing the stack, reporting the deep rest as one value", () => {
    expect(compare(nested(10_000, "1"), nested(10_000, "1")).equal).toBe(true);
    const result = compare(nested(10_000, "1"), nested(10_000, "2"));
    expect(result.differences).toHaveLength(1);
    expect(result.differences[0]?.kind).toBe("value");
    expect(result.differences[0]?.path).toBe("/0".repeat(MAX_COMPARE_DEPTH));
    expect(result.differences[0]?.legacy?.length).toBeLessThanOrEqual(300);
  });

  it("compares 100,000-deep objects too", () => {
    const deep = (leaf: number) => '{"a":'.repeat(100_000) + String(leaf) + "}".repeat(100_000);
    expect(compare(deep(1), deep(1)).equal).toBe(true);
    expect(compare(deep(1), deep(2)).differences).toHaveLength(1);
  });

  it("stops at a bounded number of differences on huge arrays", () => {
    const legacy = Array.from({ length: 100_000 }, (_, i) => i);
    const service = legacy.map((i) => i + 1);
    const result = compare(legacy, service);
    expect(result.differences).toHaveLength(MAX_DIFFERENCES);
    expect(result.signature).toBe("value /*");
    expect(compare(legacy, [...legacy]).equal).toBe(true);
  });

  it("treats __proto__, constructor and ~1 as ordinary member names", () => {
    const legacy = '{"__proto__": {"x": 1}, "constructor": 1, "~1": 1}';
    const service = '{"__proto__": {"x": 2}, "constructor": 1, "~1": 2}';
    expect(compare(legacy, service).differences.map((d) => d.path)).toStrictEqual(["/__proto__/x", "/~01"]);
    expect(compare('{"a": 1}', '{"a": 1, "__proto__": null}').differences).toStrictEqual([
      { path: "/__proto__", kind: "extra", service: "null" },
    ]);
    expect(compare('{"__proto__": 1}', "{}").differences).toStrictEqual([
      { path: "/__proto__", kind: "missing", legacy: "1" },
    ]);
    const rules = compileCompareRules(
      { ignore: [], normalise: [], arrays: [], map: { "/a": "/__proto__" } },
      undefined,
    );
    expect(compare('{"a": 5}', '{"__proto__": 5}', rules).equal).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("takes -0 and 0 as equal and compares numbers at the edges", () => {
    expect(compare("[-0]", "[0]").equal).toBe(true);
    expect(compare("[1e308]", "[1e308]").equal).toBe(true);
    expect(compare("[1e308]", "[1.7976931348623157e308]").differences[0]?.kind).toBe("value");
    expect(compare("[1e400]", "[1e401]").equal).toBe(true); // both parse to Infinity, as JSON.parse reads them
    expect(compare("[9007199254740993]", "[9007199254740992]").equal).toBe(true); // beyond 2^53: JSON.parse's limit
  });

  it("does not take two bodies with different invalid UTF-8 as equal", () => {
    const legacy = jsonResponse("x");
    const service = jsonResponse("x");
    legacy.body = Buffer.from([0x22, 0xff, 0x22]);
    service.body = Buffer.from([0x22, 0xfe, 0x22]);
    const [difference] = compareResponses(legacy, service, NO_RULES).differences;
    expect(difference?.kind).toBe("bytes");
    expect(difference?.note).toBe(
      "legacy body declared JSON but is not valid UTF-8; service body declared JSON but is not valid UTF-8; compared as bytes",
    );
  });

  it("compares an empty body with a JSON one by bytes", () => {
    expect(compare("", "{}").differences.map((d) => d.kind)).toStrictEqual(["bytes"]);
    expect(compare("", "").equal).toBe(true);
  });

  it("compares JSON bodies that are bare scalars", () => {
    expect(compare('"a"', '"a"').equal).toBe(true);
    expect(compare("1", '"1"').differences).toStrictEqual([{ path: "", kind: "type", legacy: "1", service: '"1"' }]);
  });
});

describe("nested arrays", () => {
  it("stays linear in the body's size when every level of nested pairs differs (no check inside a check)", () => {
    const tree = (depth: number, leaf: number): unknown =>
      depth === 0 ? leaf : [tree(depth - 1, leaf), tree(depth - 1, leaf)];
    const result = compare(tree(14, 1), tree(14, 2));
    expect(result.differences).toHaveLength(MAX_DIFFERENCES);
    expect(new Set(result.differences.map((d) => d.kind))).toStrictEqual(new Set(["value"]));
  });
});
