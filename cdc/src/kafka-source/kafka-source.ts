import { type Admin, type Consumer, Kafka, type LogEntry, logLevel } from "kafkajs";
import type { Logger } from "pino";
import { KAFKA_RECONNECT_RETRY } from "../defaults";
import { createRetrier, type RetryPolicy } from "../retry/retrier";
import { formatLsn } from "../embedded-source/lsn";
import type { EventSink } from "../sink/event-sink";
import { type HandlerCounts, createBatchHandler } from "./batch-handler";
import type { MessageReaderOptions } from "./debezium-message";
import { createSeamPositions } from "./seam-positions";
import {
  KAFKA_HEARTBEAT_INTERVAL_MS,
  KAFKA_MAX_BYTES_PER_PARTITION,
  KAFKA_MAX_WAIT_MS,
  KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY,
  KAFKA_QUEUE_HIGH_WATER,
  KAFKA_QUEUE_LOW_WATER,
  KAFKA_SESSION_TIMEOUT_MS,
  KAFKA_SINK_BATCH_SIZE,
} from "./defaults";
import { createSinkQueue, type SinkQueue } from "./sink-queue";

export interface KafkaSourceOptions {
  brokers: readonly string[];
  clientId: string;
  /** The consumer group; one per stream (direction), since its members must subscribe to the same topics. */
  groupId: string;
  /** The Debezium topics (`<topic.prefix>.<schema>.<table>`) to read. */
  topics: readonly string[];
  /** Events per sink transaction at most; default KAFKA_SINK_BATCH_SIZE. */
  batchSize?: number;
  reader?: MessageReaderOptions;
  /** Re-reads a table's column types when its events carry columns the decoder does not know (batch-handler.ts). */
  reloadColumnTypes?(table: string, columns: readonly string[]): Promise<void>;
  /** How a consumer that crashed for good is started again; default KAFKA_RECONNECT_RETRY. */
  reconnectRetry?: RetryPolicy;
}

export interface KafkaSourceDeps {
  sink: EventSink;
  logger: Logger;
  /** The Kafka client; default a kafkajs client on `options.brokers` (a unit test hands in a fake). */
  kafka?: Pick<Kafka, "consumer" | "admin">;
}

/** Where the consumer group stands on one partition. */
export interface KafkaPartitionPosition {
  topic: string;
  partition: number;
  /** The committed offset (the next message to read), null before the group committed one. */
  committedOffset: string | null;
  /** The partition's end (high watermark) when last seen. */
  highWatermark: string | null;
  /** Messages not yet committed by the group: highWatermark − committedOffset. */
  lag: number | null;
}

export interface KafkaSourceStatus {
  /** "reconnecting": the consumer crashed for good and is being started again with a backoff (not ready). */
  phase: "snapshot" | "streaming" | "reconnecting" | "stopped";
  /** Why the consumer last crashed, until it runs again; else why the sink fails, while its transaction is retried. */
  lastError?: string;
  /** The highest source LSN of what the sink committed ("16/B374D848"), null before the first. */
  confirmedLsn: string | null;
  lastEventAt: number | null;
  /** Events the sink has applied since start(). */
  applied: number;
  transport: "debezium";
  /** The consumer group's committed offsets and lag per partition. */
  position: KafkaPartitionPosition[];
  /** Changes the other direction's sink wrote, dropped (loop prevention). */
  echoes: number;
  tombstones: number;
  /** Messages that are not Debezium change events or whose values cannot be converted: logged and dead-lettered with their raw bytes, topic, partition and offset. */
  invalid: number;
  /** Chunks applied (or queued) whose offsets were not committed because of a stop, a revocation or a failed commit: the next owner replays them. */
  uncommitted: number;
  /** The partitions this member was given at its last group join, by topic. */
  assignment: Record<string, number[]>;
  /** Group joins since start(): each one a rebalance (or a restart) that may have moved partitions. */
  groupJoins: number;
}

export interface KafkaSource {
  /** Creates missing topics, joins the consumer group and starts consuming; resolves once joined. */
  start(): Promise<void>;
  /** Stops consuming: the batch in flight is committed and acknowledged, the rest is left for the next start. */
  stop(): Promise<void>;
  status(): KafkaSourceStatus;
}

/** How often status() refreshes the partitions' ends (lag) in the background. */
const POSITION_REFRESH_MS = 5_000;

function kafkaLogger(logger: Logger) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      if (level === logLevel.ERROR || level === logLevel.NOTHING) logger.error(extra, `kafkajs: ${message}`);
      else if (level === logLevel.WARN) logger.warn(extra, `kafkajs: ${message}`);
      else logger.debug(extra, `kafkajs: ${message}`);
    };
}

/**
 * The Debezium transport's source: a kafkajs consumer group on the Debezium topics, feeding the
 * same sink as the embedded source. Offsets are committed only after the sink's commit; while the
 * sink is behind (queue full or failing) every partition is paused and resumed once it caught up.
 */
export function createKafkaSource(options: KafkaSourceOptions, deps: KafkaSourceDeps): KafkaSource {
  const logger = deps.logger.child({ component: "kafka-source", groupId: options.groupId });
  const kafka =
    deps.kafka ??
    new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      logLevel: logLevel.WARN,
      logCreator: kafkaLogger(logger),
    });
  const batchSize = options.batchSize ?? KAFKA_SINK_BATCH_SIZE;
  const counts: HandlerCounts = { tombstones: 0, echoes: 0, invalid: 0, uncommitted: 0 };
  const positions = new Map<string, KafkaPartitionPosition>();
  let phase: KafkaSourceStatus["phase"] = "stopped";
  let lastError: string | undefined;
  /** Why the sink's last transaction failed, while it is being retried (the partitions are paused meanwhile). */
  let sinkError: string | undefined;
  let applied = 0;
  let highestLsn: number | null = null;
  let lastEventAt: number | null = null;
  let consumer: Consumer | null = null;
  let admin: Admin | null = null;
  let queue: SinkQueue | null = null;
  let refresher: NodeJS.Timeout | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let reconnecting: Promise<void> | null = null;
  const reconnectRetrier = createRetrier(options.reconnectRetry ?? KAFKA_RECONNECT_RETRY);
  /** Group joins so far: each may move partitions, whose seams are then read again from their commits. */
  let generation = 0;
  let assignment: Record<string, number[]> = {};
  /** The sink is behind (backpressure): the partitions stay paused, also across a group join. */
  let behind = false;
  /** stop() was called: no reconnect any more. */
  let stopping = false;

  const position = (topic: string, partition: number): KafkaPartitionPosition => {
    const key = `${topic}/${partition}`;
    let entry = positions.get(key);
    if (!entry) {
      entry = { topic, partition, committedOffset: null, highWatermark: null, lag: null };
      positions.set(key, entry);
    }
    return entry;
  };
  const updateLag = (entry: KafkaPartitionPosition) => {
    if (entry.highWatermark === null) return;
    entry.lag = Math.max(0, Number(entry.highWatermark) - Number(entry.committedOffset ?? 0));
  };

  async function refreshPositions(): Promise<void> {
    if (!admin) return;
    const committed = await admin.fetchOffsets({ groupId: options.groupId, topics: [...options.topics] });
    for (const { topic, partitions } of committed) {
      for (const { partition, offset } of partitions) {
        const entry = position(topic, partition);
        if (Number(offset) >= 0) entry.committedOffset = offset;
      }
    }
    for (const topic of options.topics) {
      for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
        const entry = position(topic, partition);
        entry.highWatermark = high;
        updateLag(entry);
      }
    }
  }

  /** The metadata the group committed with the partition's offset (the seam, batch-handler.ts). */
  async function loadSeam(topic: string, partition: number): Promise<string | null> {
    if (!admin) return null;
    const [committed] = await admin.fetchOffsets({ groupId: options.groupId, topics: [topic] });
    return committed?.partitions.find((p) => p.partition === partition)?.metadata ?? null;
  }

  const applyPause = (current: Consumer) => {
    const topics = options.topics.map((topic) => ({ topic }));
    try {
      if (behind) current.pause(topics);
      else current.resume(topics);
    } catch (error) {
      // Before run() or after a crash there is no group to pause; the next join applies it (GROUP_JOIN below).
      logger.debug({ err: error }, "pause/resume not applied");
    }
  };
  const onBackpressure = (now: boolean) => {
    behind = now;
    if (consumer) applyPause(consumer);
    logger.debug({ behind: now }, now ? "sink behind: partitions paused" : "sink caught up: partitions resumed");
  };

  /** Stops what startOnce() created: the queue first (a batch in flight commits), then the consumer and the admin client. */
  async function teardown(): Promise<void> {
    if (refresher) clearInterval(refresher);
    refresher = null;
    const current = consumer;
    consumer = null;
    await queue?.stop();
    queue = null;
    sinkError = undefined;
    behind = false;
    assignment = {};
    await current
      ?.disconnect()
      .catch((error: unknown) => logger.warn({ err: error }, "kafka consumer did not disconnect cleanly"));
    const currentAdmin = admin;
    admin = null;
    await currentAdmin?.disconnect().catch(() => undefined);
  }

  function scheduleReconnect(): void {
    if (stopping || reconnectTimer) return;
    const delay = reconnectRetrier.failed();
    phase = "reconnecting";
    logger.warn({ retryInMs: delay, lastError }, "kafka consumer down; starting it again");
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      reconnecting = (async () => {
        await teardown();
        if (stopping) return;
        try {
          await startOnce();
          reconnectRetrier.succeeded();
          logger.info("kafka consumer running again");
        } catch (error) {
          lastError = (error as Error).message;
          reconnecting = null;
          scheduleReconnect();
        }
      })().finally(() => {
        reconnecting = null;
      });
    }, delay);
    reconnectTimer.unref();
  }

  async function startOnce(): Promise<void> {
    const onSinkError = (error: unknown) =>
      (sinkError = error === null ? undefined : error instanceof Error ? error.message : String(error));
    const sinkQueue = createSinkQueue(
      deps.sink,
      logger,
      { batchSize, highWater: KAFKA_QUEUE_HIGH_WATER, lowWater: KAFKA_QUEUE_LOW_WATER, onBackpressure, onSinkError },
      (result) => {
        applied += result.applied;
        if (result.highestLsn !== null) highestLsn = Math.max(highestLsn ?? 0, result.highestLsn);
        if (result.applied + result.skipped + result.deadLettered > 0) lastEventAt = Date.now();
      },
    );
    queue = sinkQueue;
    const created = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: KAFKA_SESSION_TIMEOUT_MS,
      heartbeatInterval: KAFKA_HEARTBEAT_INTERVAL_MS,
      maxWaitTimeInMs: KAFKA_MAX_WAIT_MS,
      maxBytesPerPartition: KAFKA_MAX_BYTES_PER_PARTITION,
      allowAutoTopicCreation: false,
    });
    created.on(created.events.CRASH, ({ payload }) => {
      logger.error(
        { err: payload.error, restart: payload.restart },
        payload.restart
          ? "kafka consumer crashed; kafkajs restarts it"
          : "kafka consumer crashed for good; it is started again",
      );
      if (consumer !== created) return;
      lastError = payload.error.message;
      // Not ready any more (/readyz) until it runs again; the uncommitted work is replayed then.
      if (!payload.restart) scheduleReconnect();
    });
    created.on(created.events.GROUP_JOIN, ({ payload }) => {
      generation += 1;
      if (consumer === created)
        assignment = Object.fromEntries(
          Object.entries(payload.memberAssignment).map(([topic, partitions]) => [
            topic,
            [...partitions].sort((a, b) => a - b),
          ]),
        );
      // A join after kafkajs restarted the consumer starts with every partition fetching: keep the backlog in Kafka while the sink is behind.
      if (consumer === created && behind) applyPause(created);
    });
    consumer = created;
    const handler = createBatchHandler({
      queue: sinkQueue,
      logger,
      chunkSize: batchSize,
      reader: options.reader ?? {},
      seam: createSeamPositions(),
      counts,
      onCommitted(topic, partition, offset, highWatermark) {
        const entry = position(topic, partition);
        entry.committedOffset = offset;
        if (entry.highWatermark === null || BigInt(highWatermark) > BigInt(entry.highWatermark))
          entry.highWatermark = highWatermark;
        updateLag(entry);
      },
      loadSeam,
      generation: () => generation,
      ...(options.reloadColumnTypes ? { reloadColumnTypes: options.reloadColumnTypes } : {}),
    });
    try {
      admin = kafka.admin();
      await admin.connect();
      // Debezium creates a table's topic with its first event; create missing ones so the group can subscribe now.
      await admin.createTopics({ topics: options.topics.map((topic) => ({ topic })), waitForLeaders: true });
      await created.connect();
      await created.subscribe({ topics: [...options.topics], fromBeginning: true });
      await created.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY,
        eachBatch: handler,
      });
      await refreshPositions().catch((error: unknown) => logger.debug({ err: error }, "position refresh failed"));
    } catch (error) {
      // Also the admin connection: a failed start must not leave one behind per retry.
      await teardown().catch(() => undefined);
      throw error;
    }
    refresher = setInterval(
      () => void refreshPositions().catch((error: unknown) => logger.debug({ err: error }, "position refresh failed")),
      POSITION_REFRESH_MS,
    );
    refresher.unref();
    phase = "streaming";
    lastError = undefined;
    logger.info({ topics: options.topics }, "kafka source consuming");
  }

  return {
    async start() {
      if (consumer) return;
      stopping = false;
      try {
        await startOnce();
      } catch (error) {
        phase = "stopped";
        throw error;
      }
    },
    async stop() {
      stopping = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      await reconnecting;
      await teardown();
      phase = "stopped";
    },
    status: () => ({
      phase,
      ...((lastError ?? sinkError) !== undefined ? { lastError: lastError ?? sinkError } : {}),
      confirmedLsn: highestLsn === null ? null : formatLsn(Math.floor(highestLsn)),
      lastEventAt,
      applied,
      transport: "debezium",
      position: [...positions.values()].map((entry) => ({ ...entry })),
      ...counts,
      assignment: Object.fromEntries(Object.entries(assignment).map(([topic, partitions]) => [topic, [...partitions]])),
      groupJoins: generation,
    }),
  };
}
