import type { FlagState } from "./flag-source";

/** The parts of an Unleash flag definition the proxy reports. */
export interface FlagDefinition {
  enabled: boolean;
  strategies?: ReadonlyArray<{ name: string; parameters?: Record<string, unknown> }>;
}

/** enabled + the rollout of the flag's flexibleRollout strategy (null when it has none or it is not a number). */
export function flagStateOf(definition: FlagDefinition): FlagState {
  const strategy = definition.strategies?.find((s) => s.name === "flexibleRollout");
  const raw = strategy?.parameters?.rollout;
  const rollout = raw === undefined || raw === null || raw === "" ? null : Number(raw);
  return { enabled: definition.enabled, rollout: rollout !== null && Number.isFinite(rollout) ? rollout : null };
}
