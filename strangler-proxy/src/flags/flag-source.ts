/** What a flag is evaluated against: the stickiness inputs of the request. */
export interface FlagContext {
  userId?: string;
  sessionId?: string;
  remoteAddress?: string;
}

/** A flag as currently known: on in the environment or not, and its gradual rollout percentage. */
export interface FlagState {
  enabled: boolean;
  /** The `rollout` parameter of its flexibleRollout strategy (0–100), or null when it has none. */
  rollout: number | null;
}

/** Where the flags in memory came from, and how old they are. */
export interface FlagSourceStatus {
  /** `unleash`: fetched from the server by this process; `backup`: loaded from the backup file; `none`: no flags yet. */
  source: "unleash" | "backup" | "none";
  /** Last successful fetch from Unleash (for `backup`: when the backup file was written); null when never. */
  lastSyncAt: Date | null;
  ageSeconds: number | null;
}

/**
 * The proxy's view of the flags. Evaluation is in memory (no I/O per request); an unknown flag is
 * off, so its route stays on the monolith.
 */
export interface FlagSource {
  isEnabled(flag: string, context: FlagContext): boolean;
  state(flag: string): FlagState | undefined;
  status(): FlagSourceStatus;
  /**
   * Resolves once flags are in memory (fetched, or read from the backup file), or once it is clear
   * none are coming soon (the first fetch failed and there is no backup). Never rejects.
   */
  loaded(): Promise<void>;
  close(): Promise<void>;
}
