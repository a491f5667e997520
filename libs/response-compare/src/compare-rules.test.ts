import type { CompareRulesConfig } from "@strangler/migration-config";
import { CompareRulesError } from "./compare-error";
import { compileCompareRules } from "./compare-rules";
import { compareResponses } from "./response-comparator";
import { jsonResponse } from "./testing/responses";

const rulesOf = (rules: Partial<CompareRulesConfig>) =>
  compileCompareRules({ ignore: [], normalise: [], arrays: [], map: {}, ...rules }, undefined);
const paths = (legacy: unknown, service: unknown, rules: Partial<CompareRulesConfig>) =>
  compareResponses(jsonResponse(legacy), jsonResponse(service), rulesOf(rules)).differences.map(
    (d) => `${d.kind} ${d.path}`,
  );

describe("ignore rules", () => {
  const legacy = {
    id: 1,
    meta: { at: 1, deep: { etag: "a" } },
    items: [
      { at: 1, v: 1 },
      { at: 2, v: 2 },
    ],
    etag: "x",
  };
  const service = {
    id: 1,
    meta: { at: 2, deep: { etag: "b" } },
    items: [
      { at: 3, v: 1 },
      { at: 4, v: 3 },
    ],
    etag: "y",
  };

  it("reports everything without rules", () => {
    expect(paths(legacy, service, {})).toStrictEqual([
      "value /meta/at",
      "value /meta/deep/etag",
      "value /items/0/at",
      "value /items/1/at",
      "value /items/1/v",
      "value /etag",
    ]);
  });

  it("leaves out a field and everything below it", () => {
    expect(paths(legacy, service, { ignore: ["/meta", "/etag"] })).toStrictEqual([
      "value /items/0/at",
      "value /items/1/at",
      "value /items/1/v",
    ]);
  });

  it("matches one segment with *, array indices included", () => {
    expect(paths(legacy, service, { ignore: ["/items/*/at", "/*/at"] })).toStrictEqual([
      "value /meta/deep/etag",
      "value /items/1/v",
      "value /etag",
    ]);
  });

  it("matches any depth, none included, with **", () => {
    expect(paths(legacy, service, { ignore: ["/**/etag", "/**/at"] })).toStrictEqual(["value /items/1/v"]);
  });

  it("matches a literal index and the whole body", () => {
    expect(paths(legacy, service, { ignore: ["/items/1"] })).toContain("value /items/0/at");
    expect(paths(legacy, service, { ignore: ["/items/1"] })).not.toContain("value /items/1/v");
    expect(paths(legacy, service, { ignore: [""] })).toStrictEqual([]);
  });

  it("leaves out missing and extra fields too", () => {
    expect(paths({ a: 1, gone: 1 }, { a: 1, added: 1 }, { ignore: ["/gone", "/added"] })).toStrictEqual([]);
  });

  it("unescapes ~1 and ~0 in patterns and escapes them in reported paths", () => {
    const a = { "a/b": 1, "c~d": 1 };
    const b = { "a/b": 2, "c~d": 2 };
    expect(paths(a, b, {})).toStrictEqual(["value /a~1b", "value /c~0d"]);
    expect(paths(a, b, { ignore: ["/a~1b"] })).toStrictEqual(["value /c~0d"]);
  });

  it("adds the route's ignores to the service's", () => {
    const rules = compileCompareRules(
      { ignore: ["/a"], normalise: [], arrays: [], map: {} },
      { ignore: ["/b"], normalise: [], arrays: [], map: {} },
    );
    expect(compareResponses(jsonResponse({ a: 1, b: 1, c: 1 }), jsonResponse({ a: 2, b: 2, c: 1 }), rules).equal).toBe(
      true,
    );
  });
});

describe("normalisers", () => {
  it("compares strings without regard to case, with Unicode folding, where the rule applies", () => {
    const rules = { normalise: [{ path: "/name", caseInsensitive: true as const }] };
    expect(paths({ name: "Straße", city: "A" }, { name: "STRASSE", city: "a" }, rules)).toStrictEqual(["value /city"]);
    expect(paths({ name: "ΣΊΣΥΦΟΣ" }, { name: "σίσυφος" }, rules)).toStrictEqual([]);
    expect(paths({ name: "Ada" }, { name: "Adb" }, rules)).toStrictEqual(["value /name"]);
  });

  it("takes numbers within an absolute tolerance as equal", () => {
    const rules = { normalise: [{ path: "/**", tolerance: 0.01 }] };
    expect(paths({ price: 9.99, n: [1] }, { price: 9.995, n: [1.01] }, rules)).toStrictEqual([]);
    expect(paths({ price: 9.99 }, { price: 10.01 }, rules)).toStrictEqual(["value /price"]);
    expect(paths({ price: "9.99" }, { price: "9.995" }, rules)).toStrictEqual(["value /price"]);
  });

  it("truncates timestamps to the precision, taking equal instants in other zones as equal", () => {
    const s = { normalise: [{ path: "/**", timestampPrecision: "s" as const }] };
    expect(paths({ at: "2026-12-02T10:00:00.123Z" }, { at: "2026-12-02T10:00:00.987Z" }, s)).toStrictEqual([]);
    expect(paths({ at: "2026-12-02T10:00:00Z" }, { at: "2026-12-02T11:00:00+01:00" }, s)).toStrictEqual([]);
    expect(paths({ at: "2026-12-02T10:00:00.5Z" }, { at: "2026-12-02 10:00:00.600000+00:00" }, s)).toStrictEqual([]);
    expect(paths({ at: "2026-12-02T10:00:00Z" }, { at: "2026-12-02T10:00:01Z" }, s)).toStrictEqual(["value /at"]);
    const min = { normalise: [{ path: "/at", timestampPrecision: "min" as const }] };
    expect(paths({ at: "2026-12-02T10:00:01Z" }, { at: "2026-12-02T10:00:59Z" }, min)).toStrictEqual([]);
    expect(paths({ at: "2026-12-02T10:00:59Z" }, { at: "2026-12-02T10:01:00Z" }, min)).toStrictEqual(["value /at"]);
    const ms = { normalise: [{ path: "/at", timestampPrecision: "ms" as const }] };
    expect(paths({ at: "2026-12-02T10:00:00.1234Z" }, { at: "2026-12-02T10:00:00.1239Z" }, ms)).toStrictEqual([]);
    expect(paths({ at: "not a time" }, { at: "not a time either" }, ms)).toStrictEqual(["value /at"]);
  });

  it("takes null and a missing field as the same, on either side", () => {
    const rules = { normalise: [{ path: "/**", nullIsMissing: true as const }] };
    expect(paths({ a: 1, b: null }, { a: 1 }, rules)).toStrictEqual([]);
    expect(paths({ a: 1 }, { a: 1, b: null }, rules)).toStrictEqual([]);
    expect(paths({ a: 1 }, { a: 1, b: 0 }, rules)).toStrictEqual(["extra /b"]);
    expect(paths({ a: 1, b: null }, { a: 1 }, {})).toStrictEqual(["missing /b"]);
  });
});

describe("arrays keyed by a field", () => {
  const rules = { arrays: [{ path: "/items", by: "id" }] };

  it("matches elements by key, whatever their order, and names the key in the path", () => {
    const legacy = { items: [{ id: 7, n: "a" }, { id: 8, n: "b" }, { id: 9 }] };
    const service = { items: [{ id: 8, n: "B" }, { id: 7, n: "a" }, { id: "9" }] };
    expect(paths(legacy, service, rules)).toStrictEqual([
      "value /items/[id=8]/n",
      "missing /items/[id=9]",
      'extra /items/[id="9"]',
    ]);
  });

  it("falls back to positions when an element has no key or a repeated one", () => {
    expect(paths({ items: [{ id: 1 }, { x: 1 }] }, { items: [{ x: 1 }, { id: 1 }] }, rules)).toStrictEqual([
      "order /items",
    ]);
    expect(paths({ items: [{ id: 1, v: 1 }, { id: 1 }] }, { items: [{ id: 1 }, { id: 1 }] }, rules)).toStrictEqual([
      "missing /items/0/v",
    ]);
  });

  it("lets ignore patterns reach into keyed elements with *", () => {
    const legacy = { items: [{ id: 1, at: 1 }] };
    const service = { items: [{ id: 1, at: 2 }] };
    expect(paths(legacy, service, { ...rules, ignore: ["/items/*/at"] })).toStrictEqual([]);
  });
});

describe("old→new field map", () => {
  it("moves the legacy field to the service's place before comparing", () => {
    const map = { "/name": "/displayName" };
    expect(paths({ id: 1, name: "Ada" }, { id: 1, displayName: "Ada" }, { map })).toStrictEqual([]);
    expect(paths({ id: 1, name: "Ada" }, { id: 1, displayName: "Bob" }, { map })).toStrictEqual(["value /displayName"]);
    expect(paths({ id: 1, name: "Ada" }, { id: 1, displayName: "Ada" }, {})).toStrictEqual([
      "missing /name",
      "extra /displayName",
    ]);
  });

  it("moves fields into new nesting and inside every array element with *", () => {
    const legacy = { city: "X", items: [{ title: "a" }, { title: "b" }] };
    const service = { address: { city: "X" }, items: [{ label: "a" }, { label: "b" }] };
    const map = { "/city": "/address/city", "/items/*/title": "/items/*/label" };
    expect(paths(legacy, service, { map })).toStrictEqual([]);
  });

  it("never changes the parsed legacy body it was given", () => {
    const rules = rulesOf({ map: { "/a/b": "/c" } });
    const legacy = jsonResponse({ a: { b: 1, k: 2 } });
    compareResponses(legacy, jsonResponse({ a: { k: 2 }, c: 1 }), rules);
    expect(compareResponses(legacy, jsonResponse({ a: { k: 2 }, c: 1 }), rules).equal).toBe(true);
  });

  it("lets the route's map entry win over the service's, and rejects two moves to one place", () => {
    const service = { ignore: [], normalise: [], arrays: [], map: { "/name": "/displayName" } };
    const route = { ignore: [], normalise: [], arrays: [], map: { "/name": "/fullName" } };
    const rules = compileCompareRules(service, route);
    expect(compareResponses(jsonResponse({ name: "a" }), jsonResponse({ fullName: "a" }), rules).equal).toBe(true);
    expect(() => compileCompareRules(service, { ...route, map: { "/nick": "/displayName" } })).toThrow(
      new CompareRulesError("map: /name and /nick both move to /displayName"),
    );
  });
});

describe("compileCompareRules", () => {
  it("compares content-type by default, the route's headers win, names lower-cased", () => {
    expect(compileCompareRules(undefined, undefined).headers).toStrictEqual(["content-type"]);
    const service = { headers: ["ETag"], ignore: [], normalise: [], arrays: [], map: {} };
    expect(compileCompareRules(service, undefined).headers).toStrictEqual(["etag"]);
    expect(compileCompareRules(service, { ...service, headers: ["X-A"] }).headers).toStrictEqual(["x-a"]);
  });

  it("has Diffy's noise thresholds by default and takes configured ones", () => {
    expect(compileCompareRules(undefined, undefined).noise).toStrictEqual({ relative: 20, absolute: 0.03 });
    const service = { ignore: [], normalise: [], arrays: [], map: {}, noise: { relative: 5 } };
    expect(compileCompareRules(service, undefined).noise).toStrictEqual({ relative: 5, absolute: 0.03 });
  });
});
