import type { HttpMethod, MigrationConfig } from "./config-schema";
import { serveFlagName, shadowFlagName } from "./flag-names";
import { parseRoutePattern, type RoutePattern } from "./route-pattern";

/** A route of the config, ready for matching: which service takes it, read or write, its flags. */
export interface CompiledRoute {
  id: string;
  service: string;
  serviceUrl: string;
  kind: "read" | "write";
  methods: ReadonlySet<HttpMethod>;
  pattern: RoutePattern;
  serveFlag: string;
  shadowFlag: string;
}

function literalCount(pattern: RoutePattern): number {
  return pattern.segments.filter((s) => s.kind === "literal").length;
}

/**
 * Every route of a validated config, most specific first (more literal segments win, then
 * earlier literals), so `/api/users/me` is tried before `/api/users/:id`.
 */
export function compileRoutes(config: MigrationConfig): CompiledRoute[] {
  const routes: CompiledRoute[] = [];
  for (const service of config.services) {
    for (const kind of ["reads", "writes"] as const) {
      for (const route of service.routes[kind]) {
        const pattern = parseRoutePattern(route.path);
        if (typeof pattern === "string") throw new Error(`route ${route.id}: ${pattern}`);
        routes.push({
          id: route.id,
          service: service.name,
          serviceUrl: service.url,
          kind: kind === "reads" ? "read" : "write",
          methods: new Set(route.methods),
          pattern,
          serveFlag: serveFlagName(route.id),
          shadowFlag: shadowFlagName(route.id),
        });
      }
    }
  }
  const specificity = (r: CompiledRoute) => r.pattern.segments.map((s) => (s.kind === "literal" ? "0" : "1")).join("");
  return routes.sort(
    (a, b) => literalCount(b.pattern) - literalCount(a.pattern) || specificity(a).localeCompare(specificity(b)),
  );
}
