import type { FlagContext, FlagSource, FlagSourceStatus, FlagState } from "./flag-source";

/** A FlagSource whose flags a test or benchmark sets directly. */
export interface FakeFlagSource extends FlagSource {
  set(flag: string, state: { enabled: boolean; rollout?: number | null }): void;
  remove(flag: string): void;
  setStatus(status: FlagSourceStatus): void;
}

/** 1–100 from a string (FNV-1a), like Unleash's normalised stickiness value: stable per input. */
function bucket(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return ((hash >>> 0) % 100) + 1;
}

/** In-memory flags with the same rollout rule as flexibleRollout (userId, else sessionId, else random). */
export function createFakeFlagSource(
  initial: Record<string, { enabled: boolean; rollout?: number | null }> = {},
): FakeFlagSource {
  const flags = new Map<string, FlagState>();
  let status: FlagSourceStatus = { source: "unleash", lastSyncAt: new Date(), ageSeconds: 0 };
  const source: FakeFlagSource = {
    set(flag, state) {
      flags.set(flag, { enabled: state.enabled, rollout: state.rollout ?? null });
    },
    remove(flag) {
      flags.delete(flag);
    },
    setStatus(next) {
      status = next;
    },
    isEnabled(flag: string, context: FlagContext) {
      const state = flags.get(flag);
      if (!state?.enabled) return false;
      if (state.rollout === null) return true;
      const stickiness = context.userId ?? context.sessionId ?? String(Math.random());
      return state.rollout > 0 && bucket(`${flag}:${stickiness}`) <= state.rollout;
    },
    state: (flag) => flags.get(flag),
    status: () => status,
    loaded: async () => undefined,
    close: async () => undefined,
  };
  for (const [flag, state] of Object.entries(initial)) source.set(flag, state);
  return source;
}
