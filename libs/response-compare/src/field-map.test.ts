import { CompareRulesError } from "./compare-error";
import { applyFieldMap, compileFieldMap } from "./field-map";

const move = (body: unknown, map: Record<string, string>) => applyFieldMap(body, compileFieldMap(map));

describe("applyFieldMap", () => {
  it("moves a field, creating the objects on the way, and leaves the rest shared", () => {
    const tags = ["a"];
    const body = { name: "Ada", tags };
    const moved = move(body, { "/name": "/profile/displayName" }) as { tags: string[] };
    expect(moved).toStrictEqual({ tags: ["a"], profile: { displayName: "Ada" } });
    expect(moved.tags).toBe(tags);
    expect(body).toStrictEqual({ name: "Ada", tags: ["a"] });
  });

  it("swaps two fields", () => {
    expect(move({ a: 1, b: 2 }, { "/a": "/b", "/b": "/a" })).toStrictEqual({ b: 1, a: 2 });
  });

  it("moves a member of every element with *, pairing the wildcards in order", () => {
    const body = { groups: { x: [{ n: 1 }], y: [{ n: 2 }, { n: 3 }] } };
    expect(move(body, { "/groups/*/*/n": "/groups/*/*/count" })).toStrictEqual({
      groups: { x: [{ count: 1 }], y: [{ count: 2 }, { count: 3 }] },
    });
  });

  it("returns the very same body when nothing is to be moved", () => {
    const body = { other: 1 };
    expect(move(body, { "/name": "/displayName" })).toBe(body);
    expect(move(body, {})).toBe(body);
    expect(move("text", { "/name": "/displayName" })).toBe("text");
  });

  it("does not remove array elements or set through scalars", () => {
    expect(move({ xs: [1, 2] }, { "/xs/0": "/first" })).toStrictEqual({ xs: [1, 2], first: 1 });
    expect(move({ a: 1, s: "x" }, { "/a": "/s/inner" })).toStrictEqual({ s: "x" });
  });

  it("rejects maps it cannot apply", () => {
    expect(() => compileFieldMap({ "/a": "/x", "/b": "/x" })).toThrow(CompareRulesError);
    expect(() => compileFieldMap({ "/**/a": "/x" })).toThrow("map /**/a → /x: cannot be applied");
    expect(() => compileFieldMap({ "/a/*": "/x" })).toThrow(CompareRulesError);
  });
});
