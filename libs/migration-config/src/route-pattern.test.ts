import { matchRoutePattern, parseRoutePattern, patternsOverlap, type RoutePattern } from "./route-pattern";

function pattern(source: string): RoutePattern {
  const parsed = parseRoutePattern(source);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
}
const segments = (path: string) => (path === "/" ? [] : path.slice(1).split("/"));

describe("route patterns", () => {
  it.each([
    ["/api/users", "/api/users", {}],
    ["/api/users/:id", "/api/users/42", { id: "42" }],
    ["/api/users/:id/orders", "/api/users/7/orders", { id: "7" }],
    ["/", "/", {}],
  ])("%s matches %s", (source, path, params) => {
    expect(matchRoutePattern(pattern(source), segments(path))).toEqual(params);
  });

  it.each([
    ["/api/users", "/api/usersX"],
    ["/api/users", "/api/users/1"],
    ["/api/users/:id", "/api/users"],
    ["/api/users/:id", "/api/users/1/orders"],
    ["/api/users", "/API/users"],
  ])("%s matches whole segments only, so not %s", (source, path) => {
    expect(matchRoutePattern(pattern(source), segments(path))).toBeUndefined();
  });

  it.each([
    ["api/users", "must start with /"],
    ["/api//users", "empty segment"],
    ["/api/users/", "empty segment"],
    ["/api/../users", ". or .."],
    ["/api/:id/:id", "repeats the parameter :id"],
    ["/api/us:ers", "invalid segment"],
    ["/api/users?x=1", "invalid segment"],
  ])("rejects %s", (source, problem) => {
    expect(parseRoutePattern(source)).toEqual(expect.stringContaining(problem));
  });

  it("finds overlapping patterns", () => {
    expect(patternsOverlap(pattern("/api/users/:id"), pattern("/api/users/me"))).toBe(true);
    expect(patternsOverlap(pattern("/api/users/:id"), pattern("/api/products/:id"))).toBe(false);
    expect(patternsOverlap(pattern("/api/users"), pattern("/api/users/:id"))).toBe(false);
  });

  it("parses literals and named parameters into segments", () => {
    expect(parseRoutePattern("/api/v1.2/users/:user_id/a~b_c-d")).toStrictEqual({
      source: "/api/v1.2/users/:user_id/a~b_c-d",
      segments: [
        { kind: "literal", value: "api" },
        { kind: "literal", value: "v1.2" },
        { kind: "literal", value: "users" },
        { kind: "param", name: "user_id" },
        { kind: "literal", value: "a~b_c-d" },
      ],
    });
    expect(parseRoutePattern("/")).toStrictEqual({ source: "/", segments: [] });
  });

  it("accepts the URL-safe sub-delimiters in literals and parameters that start with _ or a capital", () => {
    expect(pattern("/a!$&'()*+,;=@b/:_id/:Id2").segments).toHaveLength(3);
  });

  it.each([
    ["", "must start with /"],
    ["//", "empty segment"],
    ["/a/./b", ". or .."],
    ["/a/.", ". or .."],
    ["/:1id", 'invalid segment ":1id"'],
    ["/:", "invalid segment"],
    ["/:id-x", "invalid segment"],
    ["/a:", "invalid segment"],
    ["/a b", "invalid segment"],
    ["/a%2Fb", "invalid segment"],
    ["/a#b", "invalid segment"],
    ["/:id/x/:id", "repeats the parameter :id"],
  ])("rejects %p: %s", (source, problem) => {
    const parsed = parseRoutePattern(source);
    expect(typeof parsed).toBe("string");
    expect(parsed).toContain(problem);
  });

  it("explains what an invalid segment should look like", () => {
    expect(parseRoutePattern("/a b")).toBe(
      'has an invalid segment "a b" (literals use URL-safe characters; parameters look like :name)',
    );
    expect(parseRoutePattern("/api/:id/:id")).toBe("repeats the parameter :id");
    expect(parseRoutePattern("/api//x")).toBe("must not contain an empty segment (// or a trailing /)");
    expect(parseRoutePattern("/api/..")).toBe("must not contain . or .. segments");
  });

  it("names each parameter with the segment it matched", () => {
    expect(matchRoutePattern(pattern("/api/:kind/:id"), ["api", "users", "42"])).toStrictEqual({
      kind: "users",
      id: "42",
    });
  });

  it("matches literals by exact value, in every position", () => {
    expect(matchRoutePattern(pattern("/api/users/:id/orders"), ["api", "users", "7", "order"])).toBeUndefined();
    expect(matchRoutePattern(pattern("/api/users/:id/orders"), ["apis", "users", "7", "orders"])).toBeUndefined();
  });

  it("finds overlap only when every position can match the same segment", () => {
    expect(patternsOverlap(pattern("/api/:a/x"), pattern("/api/:b/x"))).toBe(true);
    expect(patternsOverlap(pattern("/api/users/me"), pattern("/api/:kind/me"))).toBe(true);
    expect(patternsOverlap(pattern("/api/users"), pattern("/api/users"))).toBe(true);
    expect(patternsOverlap(pattern("/api/:id/x"), pattern("/api/users/y"))).toBe(false);
    expect(patternsOverlap(pattern("/"), pattern("/"))).toBe(true);
    expect(patternsOverlap(pattern("/api/users/:id"), pattern("/api/users"))).toBe(false);
  });
});
