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

/**
 * Upper bounds (ms) of the served-traffic latency histogram buckets (one more bucket counts everything
 * above the last bound): ten per decade (the R10 series, each ≈ 1.26× the last) from 0.5 ms to 32 s.
 * Finer than SHADOW_LATENCY_BUCKETS_MS (1-2-5, up to 2.5× apart) because the canary gate runs a rank
 * test on them: with 1-2-5 bounds most of a route's requests share two or three buckets, so a 30 %
 * slowdown inside one bucket is invisible (all ties) and p95 is interpolated over a bucket 2× wide.
 * Stored rows are counts per bucket: a change here needs a migration of the stored histograms.
 */
// One decade a line.
// prettier-ignore
/**
 * Served traffic is counted per slice of this many ms (the rows' "minute" column holds the slice's
 * start): fine enough that a canary gate reads only the traffic of its own stage, which may last
 * seconds in a walkthrough, and coarse enough that a replica writes a handful of rows per flush.
 */
export const TRAFFIC_SLICE_MS = 5_000;

export const TRAFFIC_LATENCY_BUCKETS_MS: readonly number[] = [
  0.5, 0.63, 0.8, 1, 1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8, 10, 12.5, 16, 20, 25, 32, 40, 50, 63, 80, 100, 125, 160, 200,
  250, 320, 400, 500, 630, 800, 1_000, 1_250, 1_600, 2_000, 2_500, 3_200, 4_000, 5_000, 6_300, 8_000, 10_000, 12_500,
  16_000, 20_000, 25_000, 32_000,
];
