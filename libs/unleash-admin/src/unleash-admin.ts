import { type CompiledRoute, serveFlagName, shadowFlagName } from "@strangler/migration-config";
import { MAX_PARALLEL_REQUESTS, ROUTE_FLAG_TYPE } from "./defaults";
import {
  assertRollout,
  type Feature,
  type FeatureEnvironment,
  findRolloutStrategy,
  flagState,
  type FlagState,
  missingFlagState,
  newRolloutStrategy,
  parseFeature,
  rolloutOf,
  updatedRolloutStrategy,
} from "./feature-model";
import { mapLimit } from "./map-limit";
import { UnleashAdminError } from "./unleash-admin-error";
import { createUnleashHttp, type FetchLike } from "./unleash-http";

export interface UnleashAdminOptions {
  /** Base URL of Unleash, e.g. http://127.0.0.1:4242. */
  url: string;
  /** An admin API token (`*:*.<secret>`). */
  token: string;
  project: string;
  environment: string;
  fetch?: FetchLike;
  timeoutMs?: number;
}

/** The parts of a compiled route the client needs. */
export type RouteFlagRef = Pick<CompiledRoute, "id" | "service" | "serveFlag" | "shadowFlag">;

/** What ensureRouteFlags did to one flag. */
export type EnsureOutcome = "created" | "revived" | "strategy added" | "unchanged";

export interface EnsureReport {
  flags: Array<{ flag: string; outcome: EnsureOutcome }>;
  /** Flags that did not exist (or were archived) before. */
  created: number;
}

/** A route's two flags as Unleash has them. */
export interface RouteFlagsState {
  id: string;
  /** Both flags exist. */
  exists: boolean;
  serve: FlagState;
  shadow: FlagState;
}

export interface RolloutChange {
  before: FlagState;
  after: FlagState;
}

/** The admin operations the toolkit needs on its route flags. */
export interface UnleashAdmin {
  /** Creates each route's serve and shadow flag (rollout 0 %, enabled) where missing; leaves existing flags' rollout and on/off alone. */
  ensureRouteFlags(routes: readonly RouteFlagRef[]): Promise<EnsureReport>;
  /** Sets the serve flag's rollout percentage (0..100) and enables it in the environment. */
  setServeRollout(routeId: string, percent: number): Promise<RolloutChange>;
  /** Sets the shadow flag's rollout percentage (0..100) and enables it in the environment. */
  setShadowRollout(routeId: string, percent: number): Promise<RolloutChange>;
  /** Each route's serve and shadow flag state; missing flags are reported, not an error. */
  listRouteFlags(routes: readonly Pick<RouteFlagRef, "id" | "serveFlag" | "shadowFlag">[]): Promise<RouteFlagsState[]>;
}

/** A typed client of the Unleash admin API for one project and environment. */
export function createUnleashAdmin(options: UnleashAdminOptions): UnleashAdmin {
  const request = createUnleashHttp(options);
  const { project, environment } = options;
  const featurePath = (flag: string) =>
    `/api/admin/projects/${encodeURIComponent(project)}/features/${encodeURIComponent(flag)}`;
  const environmentPath = (flag: string) => `${featurePath(flag)}/environments/${encodeURIComponent(environment)}`;

  async function getFeature(flag: string): Promise<Feature | null> {
    const response = await request("GET", featurePath(flag), { accept: [404] });
    return response.status === 404 ? null : parseFeature(response.body, flag);
  }

  function environmentOf(feature: Feature): FeatureEnvironment {
    const found = feature.environments.find((env) => env.name === environment);
    if (!found) {
      throw new UnleashAdminError(
        "UNLEASH_ENVIRONMENT_MISSING",
        `flag ${feature.name} has no environment "${environment}": enable that environment in Unleash project "${project}" (it has ${feature.environments.map((env) => env.name).join(", ") || "none"})`,
      );
    }
    return found;
  }

  /** Creates the flag, or revives it from the archive (409 "an archived flag with that name already exists"). */
  async function createFlag(
    flag: string,
    description: string,
  ): Promise<{ feature: Feature; outcome: "created" | "revived" }> {
    const created = await request("POST", `/api/admin/projects/${encodeURIComponent(project)}/features`, {
      body: { name: flag, type: ROUTE_FLAG_TYPE, description, impressionData: false },
      accept: [409],
    });
    const outcome = created.status === 409 ? "revived" : "created";
    if (outcome === "revived") await request("POST", `/api/admin/archive/revive/${encodeURIComponent(flag)}`);
    const feature = await getFeature(flag);
    if (!feature) {
      throw new UnleashAdminError(
        "UNLEASH_FLAG_CONFLICT",
        `a flag named ${flag} exists in Unleash, but not in project "${project}": move or rename it`,
      );
    }
    return { feature, outcome };
  }

  async function enable(flag: string): Promise<void> {
    // Only ever called when the flag has a flexibleRollout strategy: enabling an environment
    // without strategies would make Unleash add its default strategy (100 % on).
    await request("POST", `${environmentPath(flag)}/on`);
  }

  async function putRollout(flag: string, env: FeatureEnvironment, percent: number): Promise<void> {
    const strategy = findRolloutStrategy(env);
    if (strategy) {
      await request("PUT", `${environmentPath(flag)}/strategies/${encodeURIComponent(strategy.id)}`, {
        body: updatedRolloutStrategy(flag, strategy, percent),
      });
    } else {
      await request("POST", `${environmentPath(flag)}/strategies`, { body: newRolloutStrategy(flag, percent) });
    }
  }

  async function ensureFlag(
    flag: string,
    description: string,
  ): Promise<{ outcome: EnsureOutcome; env: FeatureEnvironment }> {
    let feature = await getFeature(flag);
    let outcome: EnsureOutcome = "unchanged";
    if (!feature) ({ feature, outcome } = await createFlag(flag, description));
    const env = environmentOf(feature);
    const strategy = findRolloutStrategy(env);
    // A flag revived from the archive starts again from 0 %, never from a forgotten rollout.
    const reset =
      outcome === "revived" && (strategy === undefined || rolloutOf(strategy) !== 0 || strategy.disabled === true);
    if (!strategy || reset) {
      await putRollout(flag, env, 0);
      if (outcome === "unchanged") outcome = "strategy added";
    }
    // An existing flag's on/off is left alone: turning `serve` off is the kill switch, and a
    // re-run of the stack must not undo it.
    if (outcome !== "unchanged" && !env.enabled) await enable(flag);
    if (outcome === "unchanged") return { outcome, env };
    return { outcome, env: environmentOf((await getFeature(flag)) ?? feature) };
  }

  async function setRollout(flag: string, percent: number): Promise<RolloutChange> {
    assertRollout(percent);
    const { env } = await ensureFlag(flag, describeFlag(flag));
    const before = flagState(flag, env);
    const strategy = findRolloutStrategy(env);
    if (!strategy || rolloutOf(strategy) !== percent || strategy.disabled) await putRollout(flag, env, percent);
    if (!env.enabled) await enable(flag);
    const feature = await getFeature(flag);
    return { before, after: feature ? flagState(flag, environmentOf(feature)) : missingFlagState(flag) };
  }

  async function readFlag(flag: string): Promise<FlagState> {
    const feature = await getFeature(flag);
    return feature ? flagState(flag, environmentOf(feature)) : missingFlagState(flag);
  }

  return {
    async ensureRouteFlags(routes) {
      const wanted = routes.flatMap((route) => [
        {
          flag: route.serveFlag,
          description: `Strangler: share of ${route.id} traffic served by ${route.service} (gradual rollout)`,
        },
        {
          flag: route.shadowFlag,
          description: `Strangler: share of ${route.id} traffic mirrored to ${route.service} and compared`,
        },
      ]);
      const flags = await mapLimit(wanted, MAX_PARALLEL_REQUESTS, async ({ flag, description }) => ({
        flag,
        outcome: (await ensureFlag(flag, description)).outcome,
      }));
      return {
        flags,
        created: flags.filter((entry) => entry.outcome === "created" || entry.outcome === "revived").length,
      };
    },
    setServeRollout: (routeId, percent) => setRollout(serveFlagName(routeId), percent),
    setShadowRollout: (routeId, percent) => setRollout(shadowFlagName(routeId), percent),
    async listRouteFlags(routes) {
      return mapLimit(routes, MAX_PARALLEL_REQUESTS, async (route) => {
        const [serve, shadow] = await Promise.all([readFlag(route.serveFlag), readFlag(route.shadowFlag)]);
        return { id: route.id, exists: serve.exists && shadow.exists, serve, shadow };
      });
    },
  };
}

function describeFlag(flag: string): string {
  return `Strangler route flag ${flag}`;
}
