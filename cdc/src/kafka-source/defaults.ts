/** Named constants of the Debezium (Kafka) transport; see cdc/src/defaults.ts for the sink's and every retry policy. */

/** Longest a fetch waits on the broker for new messages when the topics are quiet (kafkajs maxWaitTimeInMs). */
export const KAFKA_MAX_WAIT_MS = 250;

/**
 * Bytes one fetch may bring per partition (kafkajs maxBytesPerPartition; its default is 1 MiB): under
 * a backlog a fetch then holds several sink batches, and the batch handler reads the next one while
 * the sink applies the previous one (kafkajs fetches again only once the handler returned).
 */
export const KAFKA_MAX_BYTES_PER_PARTITION = 8 * 1024 * 1024;

/** Consumer-group session timeout: a consumer that stops heartbeating this long loses its partitions. */
export const KAFKA_SESSION_TIMEOUT_MS = 30_000;

/** How often a consumer heartbeats, also while it waits for the sink. */
export const KAFKA_HEARTBEAT_INTERVAL_MS = 3_000;

/** Partitions whose batches are handed over at once; they share one sink queue (one transaction per sink batch). */
export const KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY = 4;

/**
 * Events per sink transaction at most on this transport. Larger than the embedded source's
 * (SINK_BATCH_SIZE): a Kafka fetch brings thousands of messages at once under a backlog, and a
 * commit per 2,000 rather than per 500 halves the sink's cost per event there; at low traffic the
 * batches stay as small as what arrived.
 */
export const KAFKA_SINK_BATCH_SIZE = 2_000;

/**
 * Backpressure: events waiting for the sink above which a partition that adds more is paused
 * (its fetches stop) until the queue drains below the low-water mark.
 */
export const KAFKA_QUEUE_HIGH_WATER = 4 * KAFKA_SINK_BATCH_SIZE;
export const KAFKA_QUEUE_LOW_WATER = KAFKA_SINK_BATCH_SIZE;

/** While the sink works on a batch, heartbeat the group this often so a slow batch does not cost the partitions. */
export const SINK_WAIT_HEARTBEAT_MS = 1_000;

/** How long start() waits for the consumer to join its group. */
export const KAFKA_START_TIMEOUT_MS = 60_000;
