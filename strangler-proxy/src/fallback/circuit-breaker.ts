export type BreakerState = "closed" | "open" | "half-open";

/** pass: send normally; probe: send as the single half-open trial; reject: the breaker is open. */
export type BreakerPermit = "pass" | "probe" | "reject";

export interface BreakerSnapshot {
  state: BreakerState;
  /** Consecutive failures. */
  failures: number;
  lastError: string | null;
  lastErrorAt: Date | null;
}

export interface CircuitBreaker {
  acquire(): BreakerPermit;
  success(permit: BreakerPermit): void;
  failure(permit: BreakerPermit, error: string): void;
  /** The request ended without a verdict (the client went away): a probe slot is freed. */
  release(permit: BreakerPermit): void;
  snapshot(): BreakerSnapshot;
}

export interface BreakerOptions {
  failureThreshold: number;
  openMs: number;
  now?: () => number;
  onTransition?: (from: BreakerState, to: BreakerState) => void;
}

/**
 * A circuit breaker per service: opens after `failureThreshold` consecutive failures, stays open
 * `openMs`, then lets one probe through (half-open). The probe's success closes it, its failure
 * re-opens it. Results of requests sent before the breaker opened do not move it out of open.
 */
export function createCircuitBreaker(options: BreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  let state: BreakerState = "closed";
  let failures = 0;
  let openedAt = 0;
  let probeInFlight = false;
  let lastError: string | null = null;
  let lastErrorAt: number | null = null;

  const move = (to: BreakerState) => {
    if (to === state) return;
    const from = state;
    state = to;
    if (to === "open") openedAt = now();
    options.onTransition?.(from, to);
  };
  const refresh = () => {
    if (state === "open" && now() - openedAt >= options.openMs) move("half-open");
  };

  return {
    acquire() {
      refresh();
      if (state === "closed") return "pass";
      if (state === "half-open" && !probeInFlight) {
        probeInFlight = true;
        return "probe";
      }
      return "reject";
    },
    success(permit) {
      if (permit === "probe") {
        probeInFlight = false;
        failures = 0;
        move("closed");
      } else if (permit === "pass" && state === "closed") {
        failures = 0;
      }
    },
    failure(permit, error) {
      lastError = error;
      lastErrorAt = now();
      failures += 1;
      if (permit === "probe") {
        probeInFlight = false;
        move("open");
      } else if (state === "closed" && failures >= options.failureThreshold) {
        move("open");
      }
    },
    release(permit) {
      if (permit === "probe") probeInFlight = false;
    },
    snapshot() {
      refresh();
      return { state, failures, lastError, lastErrorAt: lastErrorAt === null ? null : new Date(lastErrorAt) };
    },
  };
}
