import { compileRoutes, type MigrationConfig, type RoutePattern } from "@strangler/migration-config";
import { compileCompareRules, type CompareRules, type NoiseThresholds } from "./compare-rules";

/** How one route's answers are compared, compiled once from the migration config (shadow mode and HTTP parity). */
export interface RouteComparePlan {
  routeId: string;
  service: string;
  kind: "read" | "write";
  /** The service's rules refined by the route's. */
  rules: CompareRules;
  thresholds: NoiseThresholds;
  /** Routes whose learnt noise applies: a read's own; a write's: the reads of the same resource. */
  noiseRoutes: readonly string[];
}

const shape = (pattern: RoutePattern) =>
  pattern.segments.map((segment) => (segment.kind === "literal" ? segment.value : ":")).join("/");

/**
 * One plan per route of the config. A write cannot be sent twice to learn its noise, so its noise
 * comes from the reads of the same service on the same resource: the same path shape (PATCH /x/:id ↔
 * GET /x/:id), or for a create, the shape one parameter deeper (POST /x ↔ GET /x/:id).
 */
export function compileRouteComparePlans(migration: MigrationConfig): Map<string, RouteComparePlan> {
  const compiled = compileRoutes(migration);
  const configs = new Map(
    migration.services.flatMap((service) =>
      [...service.routes.reads, ...service.routes.writes].map((route) => [route.id, { service, route }] as const),
    ),
  );
  const plans = new Map<string, RouteComparePlan>();
  for (const route of compiled) {
    const config = configs.get(route.id);
    const rules = compileCompareRules(config?.service.compare, config?.route.compare);
    const own = shape(route.pattern);
    const noiseRoutes =
      route.kind === "read"
        ? [route.id]
        : compiled
            .filter(
              (read) =>
                read.kind === "read" &&
                read.service === route.service &&
                (shape(read.pattern) === own || (route.methods.has("POST") && shape(read.pattern) === `${own}/:`)),
            )
            .map((read) => read.id);
    plans.set(route.id, {
      routeId: route.id,
      service: route.service,
      kind: route.kind,
      rules,
      thresholds: rules.noise,
      noiseRoutes,
    });
  }
  return plans;
}
