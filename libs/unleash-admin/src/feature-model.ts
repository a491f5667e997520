import { ROLLOUT_STRATEGY, ROLLOUT_STICKINESS } from "./defaults";
import { UnleashAdminError } from "./unleash-admin-error";

/** A strategy as the admin API returns it inside a feature's environment. */
export interface FeatureStrategy {
  id: string;
  name: string;
  title?: string | null;
  disabled?: boolean | null;
  sortOrder?: number;
  parameters?: Record<string, unknown>;
  constraints?: unknown[];
  variants?: unknown[];
  segments?: number[];
}

/** One environment of a feature (GET /api/admin/projects/:project/features/:name). */
export interface FeatureEnvironment {
  name: string;
  enabled: boolean;
  strategies: FeatureStrategy[];
}

/** The part of a feature the client reads. */
export interface Feature {
  name: string;
  project: string;
  environments: FeatureEnvironment[];
}

/** What a flag looks like in one environment: on/off and the rollout of its gradual rollout strategy. */
export interface FlagState {
  flag: string;
  /** False when Unleash has no such flag (in the project). */
  exists: boolean;
  /** Whether the flag is enabled in the environment (off = nobody gets it, whatever the rollout). */
  enabled: boolean;
  /** Percentage of the active flexibleRollout strategy, null when it has none. */
  rollout: number | null;
  /** How many active strategies the flag has there; more than 1 means someone added others by hand. */
  strategies: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks the few fields the client relies on, so a changed API fails loudly instead of silently. */
export function parseFeature(body: unknown, flag: string): Feature {
  const environments = isRecord(body) ? body.environments : undefined;
  if (!isRecord(body) || typeof body.name !== "string" || !Array.isArray(environments)) {
    throw new UnleashAdminError(
      "UNLEASH_REQUEST_FAILED",
      `Unleash returned an unexpected body for flag ${flag}: ${JSON.stringify(body).slice(0, 200)}`,
    );
  }
  return {
    name: body.name,
    project: typeof body.project === "string" ? body.project : "",
    environments: environments.filter(isRecord).map((env) => ({
      name: String(env.name),
      enabled: env.enabled === true,
      strategies: Array.isArray(env.strategies)
        ? (env.strategies.filter(isRecord) as unknown as FeatureStrategy[])
        : [],
    })),
  };
}

/** The rollout percentage of a strategy, null when it has none that parses. */
export function rolloutOf(strategy: FeatureStrategy): number | null {
  const raw = strategy.parameters?.rollout;
  const value = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
  return Number.isFinite(value) ? value : null;
}

/** The flexibleRollout strategy the client manages: the first active one, else the first disabled one. */
export function findRolloutStrategy(environment: FeatureEnvironment): FeatureStrategy | undefined {
  const rollouts = environment.strategies.filter((strategy) => strategy.name === ROLLOUT_STRATEGY);
  return rollouts.find((strategy) => !strategy.disabled) ?? rollouts[0];
}

/** The flag's state in an environment. */
export function flagState(flag: string, environment: FeatureEnvironment): FlagState {
  const active = environment.strategies.filter((strategy) => !strategy.disabled);
  const rollout = active.find((strategy) => strategy.name === ROLLOUT_STRATEGY);
  return {
    flag,
    exists: true,
    enabled: environment.enabled,
    rollout: rollout ? rolloutOf(rollout) : null,
    strategies: active.length,
  };
}

/** The state reported for a flag Unleash does not have. */
export function missingFlagState(flag: string): FlagState {
  return { flag, exists: false, enabled: false, rollout: null, strategies: 0 };
}

/**
 * Body of a new route flag strategy: a gradual rollout with Unleash's default stickiness (userId,
 * else sessionId, else random) and the flag name as groupId, so one user buckets the same way for
 * a flag at every percentage (raising 10 → 50 % only adds users).
 */
export function newRolloutStrategy(flag: string, percent: number): Record<string, unknown> {
  return {
    name: ROLLOUT_STRATEGY,
    constraints: [],
    parameters: { rollout: String(percent), stickiness: ROLLOUT_STICKINESS, groupId: flag },
  };
}

/** PUT body that changes only the rollout (and re-activates the strategy), keeping everything else. */
export function updatedRolloutStrategy(
  flag: string,
  strategy: FeatureStrategy,
  percent: number,
): Record<string, unknown> {
  const parameters = strategy.parameters ?? {};
  return {
    name: strategy.name,
    title: strategy.title ?? null,
    disabled: false,
    ...(strategy.sortOrder === undefined ? {} : { sortOrder: strategy.sortOrder }),
    constraints: strategy.constraints ?? [],
    variants: strategy.variants ?? [],
    segmentIds: strategy.segments ?? [],
    parameters: {
      ...parameters,
      rollout: String(percent),
      stickiness: typeof parameters.stickiness === "string" ? parameters.stickiness : ROLLOUT_STICKINESS,
      groupId: typeof parameters.groupId === "string" ? parameters.groupId : flag,
    },
  };
}

/** Throws UNLEASH_INVALID_ROLLOUT unless `percent` is an integer from 0 to 100. */
export function assertRollout(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new UnleashAdminError(
      "UNLEASH_INVALID_ROLLOUT",
      `a rollout must be an integer from 0 to 100, got ${percent}`,
    );
  }
}
