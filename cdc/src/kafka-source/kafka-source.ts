import { type Admin, type Consumer, Kafka, type LogEntry, logLevel } from "kafkajs";
import type { Logger } from "pino";
import { SINK_BATCH_SIZE } from "../defaults";
import { formatLsn } from "../embedded-source/lsn";
import type { EventSink } from "../sink/event-sink";
import { type HandlerCounts, createBatchHandler } from "./batch-handler";
import type { MessageReaderOptions } from "./debezium-message";
import { createSeamPositions } from "./seam-positions";
import {
  KAFKA_HEARTBEAT_INTERVAL_MS,
  KAFKA_MAX_WAIT_MS,
  KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY,
  KAFKA_QUEUE_HIGH_WATER,
  KAFKA_QUEUE_LOW_WATER,
  KAFKA_SESSION_TIMEOUT_MS,
} from "./defaults";
import { createSinkQueue, type SinkQueue } from "./sink-queue";

export interface KafkaSourceOptions {
  brokers: readonly string[];
  clientId: string;
  /** The consumer group; one per stream (direction), since its members must subscribe to the same topics. */
  groupId: string;
  /** The Debezium topics (`<topic.prefix>.<schema>.<table>`) to read. */
  topics: readonly string[];
  /** Events per sink transaction at most. */
  batchSize?: number;
  reader?: MessageReaderOptions;
}

export interface KafkaSourceDeps {
  sink: EventSink;
  logger: Logger;
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
  phase: "snapshot" | "streaming" | "stopped";
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
  /** Messages that are not Debezium change events (logged, skipped). */
  invalid: number;
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
  const kafka = new Kafka({ clientId: options.clientId, brokers: [...options.brokers], logLevel: logLevel.WARN, logCreator: kafkaLogger(logger) });
  const batchSize = options.batchSize ?? SINK_BATCH_SIZE;
  const counts: HandlerCounts = { tombstones: 0, echoes: 0, invalid: 0 };
  const positions = new Map<string, KafkaPartitionPosition>();
  let phase: KafkaSourceStatus["phase"] = "stopped";
  let applied = 0;
  let highestLsn: number | null = null;
  let lastEventAt: number | null = null;
  let consumer: Consumer | null = null;
  let admin: Admin | null = null;
  let queue: SinkQueue | null = null;
  let refresher: NodeJS.Timeout | null = null;

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

  const pauseAll = (behind: boolean) => {
    const current = consumer;
    if (!current) return;
    const topics = options.topics.map((topic) => ({ topic }));
    if (behind) current.pause(topics);
    else current.resume(topics);
    logger.debug({ behind }, behind ? "sink behind: partitions paused" : "sink caught up: partitions resumed");
  };

  return {
    async start() {
      if (consumer) return;
      admin = kafka.admin();
      await admin.connect();
      // Debezium creates a table's topic with its first event; create missing ones so the group can subscribe now.
      await admin.createTopics({ topics: options.topics.map((topic) => ({ topic })), waitForLeaders: true });
      queue = createSinkQueue(
        deps.sink,
        logger,
        { batchSize, highWater: KAFKA_QUEUE_HIGH_WATER, lowWater: KAFKA_QUEUE_LOW_WATER, onBackpressure: pauseAll },
        (result) => {
          applied += result.applied;
          if (result.highestLsn !== null) highestLsn = Math.max(highestLsn ?? 0, result.highestLsn);
          if (result.applied + result.skipped + result.deadLettered > 0) lastEventAt = Date.now();
        },
      );
      const created = kafka.consumer({
        groupId: options.groupId,
        sessionTimeout: KAFKA_SESSION_TIMEOUT_MS,
        heartbeatInterval: KAFKA_HEARTBEAT_INTERVAL_MS,
        maxWaitTimeInMs: KAFKA_MAX_WAIT_MS,
        allowAutoTopicCreation: false,
      });
      created.on(created.events.CRASH, ({ payload }) => {
        logger.error({ err: payload.error, restart: payload.restart }, payload.restart ? "kafka consumer crashed; kafkajs restarts it" : "kafka consumer crashed and stays down");
        // Not ready any more (/readyz); the uncommitted work is replayed by the next start.
        if (!payload.restart && consumer === created) phase = "stopped";
      });
      consumer = created;
      const handler = createBatchHandler({
        queue,
        logger,
        chunkSize: batchSize,
        reader: options.reader ?? {},
        seam: createSeamPositions(),
        counts,
        onCommitted(topic, partition, offset, highWatermark) {
          const entry = position(topic, partition);
          entry.committedOffset = offset;
          if (entry.highWatermark === null || BigInt(highWatermark) > BigInt(entry.highWatermark)) entry.highWatermark = highWatermark;
          updateLag(entry);
        },
      });
      try {
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
        await this.stop().catch(() => undefined);
        throw error;
      }
      refresher = setInterval(() => void refreshPositions().catch((error: unknown) => logger.debug({ err: error }, "position refresh failed")), POSITION_REFRESH_MS);
      refresher.unref();
      phase = "streaming";
      logger.info({ topics: options.topics }, "kafka source consuming");
    },
    async stop() {
      if (refresher) clearInterval(refresher);
      refresher = null;
      const current = consumer;
      consumer = null;
      // The queue first: a batch in flight commits (and its offsets are committed), the rest is dropped unacknowledged.
      await queue?.stop();
      await current?.disconnect().catch((error: unknown) => logger.warn({ err: error }, "kafka consumer did not disconnect cleanly"));
      await admin?.disconnect().catch(() => undefined);
      admin = null;
      phase = "stopped";
    },
    status: () => ({
      phase,
      confirmedLsn: highestLsn === null ? null : formatLsn(Math.floor(highestLsn)),
      lastEventAt,
      applied,
      transport: "debezium",
      position: [...positions.values()].map((entry) => ({ ...entry })),
      ...counts,
    }),
  };
}
