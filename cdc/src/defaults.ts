import type { RetryPolicy } from "./retry/retrier";

/** Named constants of the cdc package (STYLE.md: one defaults file per package). */

/** Events a transport hands to EventSink.applyBatch at most: one transaction per batch amortises the commit. */
export const SINK_BATCH_SIZE = 500;

/**
 * Connections of the sink's pool. One: batches are applied one after another (order per key), and on
 * PostgreSQL 17 a replication origin can be set up by only one session at a time.
 */
export const SINK_POOL_SIZE = 1;

/** Schema in the target database holding the sink's row positions and dead letters. */
export const SINK_SCHEMA = "strangler_cdc";

/** Prefix of the replication origin the sink's sessions write under; the direction label follows. */
export const SINK_ORIGIN_PREFIX = "strangler_sink";

/** Lag histogram buckets in seconds (issue target: p99 ≤ 200 ms on the embedded path). */
export const SINK_LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Dead-letter reasons are error messages; cut very long ones (a huge value in a type error). */
export const DEAD_LETTER_REASON_MAX_LENGTH = 2000;

/** After SIGTERM, how long the process may take to stop its streams before it exits anyway. */
export const CDC_SHUTDOWN_GRACE = 15_000;

/** Connection timeout of the slot inventory's queries (cdc slots, the unused-slot warnings). */
export const SLOT_INVENTORY_CONNECT_TIMEOUT = 5_000;

/** How often the CDC process looks again for toolkit slots the config does not use (its /status warnings). */
export const UNUSED_SLOT_CHECK_INTERVAL = 60_000;

/** Growth of every retry wait per failure in a row (cdc/src/retry/retrier.ts): the wait doubles. */
export const RETRY_FACTOR = 2;

/**
 * A stream whose start failed transiently (database or broker unreachable) is retried after 0.5 s,
 * doubling up to 15 s; the process keeps trying (and stays not ready) until it can start.
 */
export const CDC_START_RETRY = { initialMs: 500, maxMs: 15_000 } as const satisfies RetryPolicy;

/**
 * An embedded stream whose connection or sink failed is reopened from the slot's confirmed position
 * after 1 s, doubling up to 30 s. The wait starts over only after real progress (the sink committed
 * a batch, the slot's position advanced, or there was nothing to replay): reopening alone is not.
 */
export const EMBEDDED_REOPEN_RETRY = { initialMs: 1_000, maxMs: 30_000 } as const satisfies RetryPolicy;

/** Debezium transport: a failed sink transaction (transient error) is retried after 0.2 s, doubling up to 5 s. */
export const SINK_BATCH_RETRY = { initialMs: 200, maxMs: 5_000 } as const satisfies RetryPolicy;

/** Debezium transport: a consumer that crashed for good (kafkajs does not restart it) is started again after 1 s, doubling up to 30 s. */
export const KAFKA_RECONNECT_RETRY = { initialMs: 1_000, maxMs: 30_000 } as const satisfies RetryPolicy;

/**
 * How often the CDC process reads the plan states (toolkit database) to follow each service's CDC
 * directions (ADR 0019): a flip of the plan takes effect within about this long.
 */
export const PLAN_POLL_INTERVAL = 1_000;

/** While the toolkit database cannot be read, the CDC process keeps its directions and warns at most this often. */
export const PLAN_UNREADABLE_WARN_INTERVAL = 30_000;
