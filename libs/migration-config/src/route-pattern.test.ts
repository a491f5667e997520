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
});
