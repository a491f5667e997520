/** Named constants of the Debezium (Kafka) transport; see cdc/src/defaults.ts for the sink's and every retry policy. */

/** Longest a fetch waits on the broker for new messages when the topics are quiet (kafkajs maxWaitTimeInMs). */
export const KAFKA_MAX_WAIT_MS = 250;

/** Consumer-group session timeout: a consumer that stops heartbeating this long loses its partitions. */
export const KAFKA_SESSION_TIMEOUT_MS = 30_000;

/** How often a consumer heartbeats, also while it waits for the sink. */
export const KAFKA_HEARTBEAT_INTERVAL_MS = 3_000;

/** Partitions whose batches are handed over at once; they share one sink queue (one transaction per sink batch). */
export const KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY = 4;

/**
 * Backpressure: events waiting for the sink above which a partition that adds more is paused
 * (its fetches stop) until the queue drains below the low-water mark.
 */
export const KAFKA_QUEUE_HIGH_WATER = 4 * 500;
export const KAFKA_QUEUE_LOW_WATER = 500;

/** While the sink works on a batch, heartbeat the group this often so a slow batch does not cost the partitions. */
export const SINK_WAIT_HEARTBEAT_MS = 1_000;

/** How long start() waits for the consumer to join its group. */
export const KAFKA_START_TIMEOUT_MS = 60_000;
