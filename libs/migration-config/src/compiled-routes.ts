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
  /**
   * Where the service answers this route when its path differs (`servicePath` in the config): per
   * segment of the service's path, a literal or the index of the legacy path segment that holds the
   * same parameter. Undefined when the service uses the legacy path.
   */
  servicePath?: ServicePathTemplate;
}

/** A compiled `servicePath`: its source and, per segment, a literal or the legacy segment index to copy. */
export interface ServicePathTemplate {
  source: string;
  segments: ReadonlyArray<string | number>;
}

/** The service path's segments as literals or indexes into the legacy path; a problem text when the parameters differ. */
function compileServicePath(legacy: RoutePattern, source: string): ServicePathTemplate | string {
  const pattern = parseRoutePattern(source);
  if (typeof pattern === "string") return pattern;
  const legacyIndex = new Map<string, number>();
  legacy.segments.forEach((s, i) => {
    if (s.kind === "param") legacyIndex.set(s.name, i);
  });
  const used = new Set<string>();
  const segments: Array<string | number> = [];
  for (const segment of pattern.segments) {
    if (segment.kind === "literal") {
      segments.push(segment.value);
      continue;
    }
    const index = legacyIndex.get(segment.name);
    if (index === undefined)
      return `servicePath ${source} names :${segment.name}, which ${legacy.source} does not have`;
    used.add(segment.name);
    segments.push(index);
  }
  const missing = [...legacyIndex.keys()].filter((name) => !used.has(name));
  if (missing.length > 0)
    return `servicePath ${source} must use every parameter of ${legacy.source} (missing :${missing.join(", :")})`;
  return { source, segments };
}

/**
 * The path to send a request of `route` to on its service: `servicePath` with the parameters of the
 * concrete legacy path (`/api/things/42?x=1` → `/v2/items/42?x=1`), the query kept. The path as
 * given when the route has no `servicePath`. `legacyPath` must be one the route matched.
 */
export function servicePathOf(route: CompiledRoute, legacyPath: string): string {
  const template = route.servicePath;
  if (template === undefined) return legacyPath;
  const queryAt = legacyPath.indexOf("?");
  const path = queryAt === -1 ? legacyPath : legacyPath.slice(0, queryAt);
  const legacySegments = path === "/" ? [] : path.slice(1).split("/");
  let out = "";
  for (const segment of template.segments)
    out += `/${typeof segment === "number" ? (legacySegments[segment] ?? "") : segment}`;
  return `${out === "" ? "/" : out}${queryAt === -1 ? "" : legacyPath.slice(queryAt)}`;
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
        const servicePath =
          route.servicePath === undefined ? undefined : compileServicePath(pattern, route.servicePath);
        if (typeof servicePath === "string") throw new Error(`route ${route.id}: ${servicePath}`);
        routes.push({
          id: route.id,
          service: service.name,
          serviceUrl: service.url,
          kind: kind === "reads" ? "read" : "write",
          methods: new Set(route.methods),
          pattern,
          serveFlag: serveFlagName(route.id),
          shadowFlag: shadowFlagName(route.id),
          ...(servicePath ? { servicePath } : {}),
        });
      }
    }
  }
  const specificity = (r: CompiledRoute) => r.pattern.segments.map((s) => (s.kind === "literal" ? "0" : "1")).join("");
  return routes.sort(
    (a, b) => literalCount(b.pattern) - literalCount(a.pattern) || specificity(a).localeCompare(specificity(b)),
  );
}
