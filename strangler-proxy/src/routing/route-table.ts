import { matchRoutePattern, type CompiledRoute, type RoutePattern } from "@strangler/migration-config";

/** Finds the route of a request: the method must be listed, the pattern must match whole segments. */
export interface RouteTable {
  readonly routes: readonly CompiledRoute[];
  match(method: string, segments: readonly string[]): CompiledRoute | undefined;
}

// Read once: under tsx every read of an import is two getter calls (see request-handler.ts).
const matches = matchRoutePattern;

interface Entry {
  route: CompiledRoute;
  /** The pattern with lower-cased literals (see createRouteTable). */
  pattern: RoutePattern;
}

/**
 * Builds the route table from compileRoutes() output, which is sorted most specific first; within a
 * segment count that order is kept, so `/api/users/me` is tried before `/api/users/:id`.
 *
 * Literals match case-insensitively: Express (and many other frameworks) route `/API/Users` like
 * `/api/users`, so an exact-case match would let a mixed-case request bypass the route's flag and
 * reach the monolith after the route moved.
 */
export function createRouteTable(routes: readonly CompiledRoute[]): RouteTable {
  const bySegmentCount = new Map<number, Entry[]>();
  for (const route of routes) {
    const pattern: RoutePattern = {
      source: route.pattern.source,
      segments: route.pattern.segments.map((s) =>
        s.kind === "literal" ? { kind: "literal", value: s.value.toLowerCase() } : s,
      ),
    };
    const list = bySegmentCount.get(pattern.segments.length) ?? [];
    list.push({ route, pattern });
    bySegmentCount.set(pattern.segments.length, list);
  }
  return {
    routes,
    match(method, segments) {
      const candidates = bySegmentCount.get(segments.length);
      if (!candidates) return undefined;
      let lower: string[] | undefined;
      for (const { route, pattern } of candidates) {
        if (!(route.methods as ReadonlySet<string>).has(method)) continue;
        lower ??= segments.map((s) => s.toLowerCase());
        if (matches(pattern, lower)) return route;
      }
      return undefined;
    },
  };
}
