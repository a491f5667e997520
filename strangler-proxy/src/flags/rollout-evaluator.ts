import type { FeatureInterface } from "unleash-client/lib/feature";
import { normalizedStrategyValue } from "unleash-client/lib/strategy/util";
import type { FlagContext } from "./flag-source";

/** A flag's on/off for one request. */
export type RolloutEvaluator = (context: FlagContext) => boolean;

/** unleash-client's own random stickiness for a request without user or session id (flexible-rollout-strategy.js). */
const randomStickiness = () => `${Math.round(Math.random() * 10_000) + 1}`;

function empty(list: readonly unknown[] | undefined): boolean {
  return list === undefined || list.length === 0;
}

/**
 * The same decision unleash-client's isEnabled makes, without its per-call work (context copy,
 * fallback closure, constraint generator, result objects), for the flags the stack provisions:
 * enabled, strategies `default` or `flexibleRollout` with the default stickiness, no constraints,
 * segments, dependencies or impression data. The bucket is unleash-client's own function
 * (normalizedStrategyValue: murmur3 of `groupId:stickinessId`), so a user lands on the same side.
 * Returns null for any other flag: unleash-client evaluates those itself.
 */
export function compileRolloutEvaluator(feature: FeatureInterface): RolloutEvaluator | null {
  if (!empty(feature.dependencies) || feature.impressionData) return null;
  if (!feature.enabled) return () => false;
  const strategies = feature.strategies ?? [];
  if (strategies.length === 0) return () => true;
  const rollouts: Array<{ groupId: string; percentage: number }> = [];
  for (const strategy of strategies) {
    if (!empty(strategy.constraints) || !empty(strategy.segments)) return null;
    if (strategy.name === "default") return () => true;
    const { stickiness, groupId, rollout } = strategy.parameters ?? {};
    if (
      strategy.name !== "flexibleRollout" ||
      (stickiness !== undefined && stickiness !== "" && stickiness !== "default")
    )
      return null;
    rollouts.push({ groupId: typeof groupId === "string" ? groupId : "", percentage: Number(rollout) });
  }
  return (context) => {
    // The same id for every strategy of the flag, as unleash-client resolves it per strategy from the same context.
    const id = context.userId || context.sessionId || randomStickiness();
    for (const { groupId, percentage } of rollouts) {
      if (percentage > 0 && normalizedStrategyValue(id, groupId) <= percentage) return true;
    }
    return false;
  };
}
