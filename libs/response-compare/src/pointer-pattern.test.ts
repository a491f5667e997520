import { parsePointer } from "./json-pointer";
import { compilePointerPatterns, type MatchState } from "./pointer-pattern";

/** The indexes of the patterns that match `path`, by stepping the automaton segment by segment. */
function matching(patterns: string[], path: string): number[] {
  let state: MatchState<readonly number[]> = compilePointerPatterns(patterns, (matched) => [...matched].sort());
  for (const segment of parsePointer(path)) state = state.step(segment);
  return [...state.info];
}

describe("pointer patterns", () => {
  it.each([
    ["/email", "/email", true],
    ["/email", "/email/x", false],
    ["/email", "/emails", false],
    ["/items/*/at", "/items/3/at", true],
    ["/items/*/at", "/items/at", false],
    ["/items/*/at", "/items/3/4/at", false],
    ["/**/etag", "/etag", true],
    ["/**/etag", "/a/b/c/etag", true],
    ["/**/etag", "/a/etag/b", false],
    ["/a/**", "/a", true],
    ["/a/**", "/a/b/c", true],
    ["/a/**/z", "/a/z", true],
    ["/a/**/z", "/a/x/y/z", true],
    ["/**/*/z", "/z", false],
    ["/**/*/z", "/q/z", true],
    ["", "", true],
    ["", "/a", false],
    ["/a~1b/~0c", "/a~1b/~0c", true],
    ["/*", "/[id=7]", true],
  ])("%s matches %s: %s", (pattern, path, expected) => {
    expect(matching([pattern], path).length > 0).toBe(expected);
  });

  it("tells which of several patterns match, at once", () => {
    const patterns = ["/a/*", "/**/b", "/a/b", "/c"];
    expect(matching(patterns, "/a/b")).toStrictEqual([0, 1, 2]);
    expect(matching(patterns, "/x/b")).toStrictEqual([1]);
    expect(matching(patterns, "/c")).toStrictEqual([3]);
    expect(matching(patterns, "/d")).toStrictEqual([]);
  });

  it("is dead where nothing more can match, and stays so", () => {
    const root = compilePointerPatterns(["/a/b"], (matched) => matched.length);
    expect(root.dead).toBe(false);
    const off = root.step("x");
    expect(off.dead).toBe(true);
    expect(off.step("y")).toBe(off);
    expect(root.step("a").step("b").info).toBe(1);
  });

  it("reuses states, so a step along a known path allocates nothing new", () => {
    const root = compilePointerPatterns(["/**/at", "/items/*/id"], (matched) => matched.length);
    expect(root.step("items").step("7")).toBe(root.step("items").step("8"));
    expect(root.step("q").step("r")).toBe(root.step("s"));
  });
});
