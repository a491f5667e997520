/** A flag as a person reads it: "50%", "off" (disabled: nobody gets it), "missing", "no rollout". */
export function formatFlag(state: { exists?: boolean; enabled: boolean; rollout: number | null }): string {
  if (state.exists === false) return "missing";
  if (!state.enabled) return "off";
  return state.rollout === null ? "no rollout" : `${state.rollout}%`;
}

/** Milliseconds as "0.9 s". */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
