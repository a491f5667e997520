/** Defaults and limits of the toolkit database stores, in one place. Times in milliseconds. */

/**
 * Upper bounds (ms) of the shadow latency histogram buckets; one more bucket counts everything above
 * the last bound. Shared by the proxy (which counts) and the store (which merges replicas' counts and
 * reads percentiles from them), so a change here changes both.
 */
export const SHADOW_LATENCY_BUCKETS_MS: readonly number[] = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000,
];

/** Connections per store pool: the writers batch, so a few suffice and replicas do not crowd PostgreSQL. */
export const STORE_POOL_SIZE = 3;
/** A connection to the toolkit database must be open within this. */
export const STORE_CONNECT_TIMEOUT = 5_000;
/** Any one statement of a store gives up after this (a locked or overloaded database must not hold a writer forever). */
export const STORE_STATEMENT_TIMEOUT = 15_000;
/** Idle pooled connections close after this. */
export const STORE_IDLE_TIMEOUT = 10_000;

/** Characters of a body (request or answer) kept in a stored example; longer ones are cut. */
export const EXAMPLE_MAX_BODY_CHARS = 65_536;
/** Characters of any other text of an example kept (path, header values, difference values). */
export const EXAMPLE_MAX_TEXT_CHARS = 4_096;
/** Signatures listed per route in a report, most frequent first. */
export const REPORT_MAX_SIGNATURES = 20;
/** Noise fields listed per route in a report, most differing first. */
export const REPORT_MAX_NOISE_FIELDS = 50;
/** Examples kept per route and signature by the fake store when not told (the config's default, toolkit.retention.examplesPerSignature). */
export const TOOLKIT_EXAMPLES_PER_SIGNATURE_DEFAULT = 5;

/** Parity runs listed by runs() when no limit is given, newest first (a dashboard page, a --resume lookup). */
export const PARITY_RUNS_LIMIT = 100;

/** Plan audit entries returned by audit() when no limit is given, newest first. */
export const PLAN_AUDIT_LIMIT = 100;
/** How often a runner waiting for the plan-runner lock (withRunnerLock's waitMs) tries it again. */
export const RUNNER_LOCK_POLL_MS = 250;
