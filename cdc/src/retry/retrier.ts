import { RETRY_FACTOR } from "../defaults";

/** How a retrier waits: `initialMs` after the first failure, times `factor` per failure in a row, at most `maxMs`. */
export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
  /** Growth per failure in a row; default RETRY_FACTOR (2: the wait doubles). */
  factor?: number;
}

/**
 * The backoff state of one retried thing (a stream's start, an embedded stream's reopen, a sink
 * batch, a crashed consumer): how many failures in a row, and so how long to wait before the next
 * attempt. Only `succeeded()` starts the waits over, so a caller decides what counts as progress.
 */
export interface Retrier {
  /** Records a failure; returns the wait (ms) before the next attempt. */
  failed(): number;
  /** Records real progress: the next failure waits `initialMs` again. */
  succeeded(): void;
  /** Failures since the last success. */
  failures(): number;
}

/** The wait before the next attempt after `failures` failures in a row (1 → initialMs). */
export function retryDelay(policy: RetryPolicy, failures: number): number {
  const factor = policy.factor ?? RETRY_FACTOR;
  return Math.min(policy.initialMs * factor ** Math.max(0, failures - 1), policy.maxMs);
}

/** The one backoff of the cdc package (kafkajs' retry/index.js, without jitter: one process, no herd). */
export function createRetrier(policy: RetryPolicy): Retrier {
  let failures = 0;
  return {
    failed() {
      failures += 1;
      return retryDelay(policy, failures);
    },
    succeeded() {
      failures = 0;
    },
    failures: () => failures,
  };
}
