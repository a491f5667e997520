import fc from "fast-check";
import { compileCompareRules } from "./compare-rules";
import { formatPointer } from "./json-pointer";
import { compareResponses } from "./response-comparator";
import { jsonResponse } from "./testing/responses";

/** Runs per property in `npm test`; `npm run test:property` style runs set STRANGLER_PROPERTY_RUNS higher. */
const RUNS = Number(process.env.STRANGLER_PROPERTY_RUNS ?? 200);
const NO_RULES = compileCompareRules(undefined, undefined);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Paths of every leaf (scalar, empty array or object) and of every object member. */
function placesOf(value: Json, path: string[] = [], out: Array<{ path: string[]; member: boolean }> = []) {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push({ path, member: false });
    value.forEach((item, i) => placesOf(item, [...path, String(i)], out));
  } else if (typeof value === "object" && value !== null) {
    if (Object.keys(value).length === 0) out.push({ path, member: false });
    for (const key of Object.keys(value)) {
      out.push({ path: [...path, key], member: true });
      placesOf(value[key] as Json, [...path, key], out);
    }
  } else out.push({ path, member: false });
  return out;
}

/** A copy of `value` with the node at `path` replaced (or, with `replacement` undefined, the member removed). */
function plant(value: Json, path: string[], replacement: Json | undefined): Json {
  if (path.length === 0) return replacement as Json;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(value)) return value.map((item, i) => (String(i) === head ? plant(item, rest, replacement) : item));
  const copy: { [key: string]: Json } = {};
  for (const key of Object.keys(value as object)) {
    const child = (value as { [key: string]: Json })[key] as Json;
    if (key !== head)
      Object.defineProperty(copy, key, { value: child, enumerable: true, writable: true, configurable: true });
    else if (rest.length > 0 || replacement !== undefined)
      Object.defineProperty(copy, key, {
        value: plant(child, rest, replacement),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return copy;
}

const at = (value: Json, path: string[]): Json =>
  path.reduce<Json>((node, key) => (node as { [key: string]: Json })[key] as Json, value);

describe("compareResponses properties", () => {
  it("finds any JSON value equal to itself, however it is serialised", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const result = compareResponses(
          jsonResponse(JSON.stringify(value)),
          jsonResponse(JSON.stringify(value, null, 2)),
          NO_RULES,
        );
        expect(result).toStrictEqual({ equal: true, differences: [], signature: "" });
      }),
      { numRuns: RUNS },
    );
  });

  it("reports exactly the one planted change, at its path", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.nat(), fc.boolean(), (value, pick, remove) => {
        const places = placesOf(value as Json);
        const place = places[pick % places.length] as { path: string[]; member: boolean };
        const old = at(value as Json, place.path);
        const removing = remove && place.member;
        // A string gets longer (value); an empty object becomes a string, anything else an object (type).
        const emptyObject = typeof old === "object" && old !== null && !Array.isArray(old);
        const replacement: Json = typeof old === "string" ? old + "!" : emptyObject ? "planted" : { planted: 1 };
        const changed = plant(value as Json, place.path, removing ? undefined : replacement);
        const result = compareResponses(
          jsonResponse(JSON.stringify(value)),
          jsonResponse(JSON.stringify(changed)),
          NO_RULES,
        );
        const kind = removing ? "missing" : typeof old === "string" ? "value" : "type";
        expect(result.differences.map((d) => [d.kind, d.path])).toStrictEqual([[kind, formatPointer(place.path)]]);
        expect(result.equal).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});
