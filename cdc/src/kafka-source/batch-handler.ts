import type { EachBatchPayload, KafkaMessage } from "kafkajs";
import type { Logger } from "pino";
import type { SourcedEvent } from "../sink/event-sink";
import { SINK_WAIT_HEARTBEAT_MS } from "./defaults";
import { type DebeziumMessage, type MessageReaderOptions, readDebeziumMessage } from "./debezium-message";
import type { SeamPositions } from "./seam-positions";
import { type SinkQueue, SinkQueueStoppedError } from "./sink-queue";

/** Counters of what the handler saw that never reached the sink. */
export interface HandlerCounts {
  tombstones: number;
  echoes: number;
  invalid: number;
  /** Chunks handed to the sink whose offsets were not committed (stop, revocation, failed commit): replayed, harmlessly. */
  uncommitted: number;
}

export interface BatchHandlerContext {
  queue: SinkQueue;
  logger: Logger;
  /** Messages per chunk: each chunk is applied, then its offsets resolved and committed. */
  chunkSize: number;
  reader: MessageReaderOptions;
  /** Ranks streamed changes above the snapshot rows they follow (seam-positions.ts). */
  seam: SeamPositions;
  counts: HandlerCounts;
  /** After a commit: the partition's committed offset (the next to read) and its high watermark. */
  onCommitted(topic: string, partition: number, offset: string, highWatermark: string): void;
  /**
   * Re-reads the column types of a table whose events carry columns its decoder does not know
   * (bounded by the caller: at most once per unknown column); the message is then read again.
   */
  reloadColumnTypes?(table: string, columns: readonly string[]): Promise<void>;
  /**
   * The seam metadata committed with the partition's offset, read once per partition and group
   * generation before its first batch (restart, rebalance) and restored into `seam`.
   */
  loadSeam?(topic: string, partition: number): Promise<string | null>;
  /** Bumped on every group join: partitions may have moved, their seams are read again. */
  generation?(): number;
  heartbeatMs?: number;
}

/** kafkajs' rebalance errors (errors.js isRebalancing) and a forgotten member: thrown from eachBatch, they make the member rejoin. */
export const isRebalanceError = (error: unknown): boolean =>
  ["REBALANCE_IN_PROGRESS", "NOT_COORDINATOR_FOR_GROUP", "ILLEGAL_GENERATION", "UNKNOWN_MEMBER_ID"].includes(
    (error as { type?: string } | null)?.type ?? "",
  );

/** The offset Kafka stores as committed: the next one to read. */
const nextOffset = (offset: string): string => (BigInt(offset) + 1n).toString();

/**
 * Awaits `work`, heartbeating the group meanwhile so a slow sink batch does not cost the partition.
 * A heartbeat that says the group is rebalancing is thrown once the work settled (the sink's
 * transaction is not abandoned halfway), so kafkajs rejoins; other heartbeat failures are retried.
 */
async function withHeartbeats<T>(work: Promise<T>, heartbeat: () => Promise<void>, everyMs: number): Promise<T> {
  let rebalance: unknown = null;
  const timer = setInterval(
    () =>
      void heartbeat().catch((error: unknown) => {
        if (isRebalanceError(error)) rebalance ??= error;
      }),
    everyMs,
  );
  try {
    const result = await work;
    if (rebalance !== null) throw rebalance;
    return result;
  } finally {
    clearInterval(timer);
  }
}

/**
 * The kafkajs `eachBatch` of the Debezium transport (autoCommit off, eachBatchAutoResolve off).
 * Messages are read into events (tombstones and echoes are skipped and only acknowledged; an
 * unreadable message goes to the sink as undecodable, which dead-letters it with its bytes), applied
 * through the shared sink queue chunk by chunk, and each chunk's offsets are resolved and committed
 * only after the sink's database commit. A stopped consumer or a partition
 * that was revoked or seeked meanwhile (isStale) commits nothing more: the next owner replays from
 * the last commit, and the sink's version guard makes the replay harmless.
 */
export function createBatchHandler(context: BatchHandlerContext): (payload: EachBatchPayload) => Promise<void> {
  const { queue, logger, counts } = context;
  const heartbeatMs = context.heartbeatMs ?? SINK_WAIT_HEARTBEAT_MS;
  const restoredAt = new Map<string, number>();

  /** Reads one message; an undecodable one is `invalid` (counted, logged, dead-lettered), never a throw that would stall the partition. */
  async function readMessage(message: KafkaMessage): Promise<DebeziumMessage> {
    try {
      const first = readDebeziumMessage(message.value, context.reader, message.headers);
      if (first.kind !== "unknown-columns") return first;
      await context
        .reloadColumnTypes?.(first.table, first.columns)
        .catch((error: unknown) =>
          logger.warn({ err: error, table: first.table }, "column types could not be reloaded"),
        );
      return readDebeziumMessage(message.value, { ...context.reader, unknownColumns: "pass" }, message.headers);
    } catch (error) {
      return { kind: "invalid", reason: (error as Error).message, raw: "" };
    }
  }

  return async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
    const { topic, partition } = batch;
    const key = `${topic}/${partition}`;
    const messages = batch.messages;
    const generation = context.generation?.() ?? 0;
    if (context.loadSeam && restoredAt.get(key) !== generation) {
      // Before the partition's first batch in this generation: the seam as of its committed offset, where this batch starts.
      const metadata = await context.loadSeam(topic, partition);
      if (context.seam.restore(key, metadata))
        logger.info({ topic, partition, seam: metadata }, "snapshot seam restored from the committed offset");
      restoredAt.set(key, generation);
    }
    // All chunks go to the queue at once (the sink works on one while the next is read and the
    // previous one's offset is committed); offsets are still committed strictly in order.
    const pending: Array<{ last: string; done: Promise<void>; seam: string | null }> = [];
    for (let start = 0; start < messages.length; start += context.chunkSize) {
      const chunk = messages.slice(start, start + context.chunkSize);
      const events: SourcedEvent[] = [];
      for (const message of chunk) {
        const read = await readMessage(message);
        let ranked: DebeziumMessage = read;
        if (read.kind === "event" && read.sourced.event) {
          try {
            ranked = { kind: "event", sourced: { ...read.sourced, event: context.seam.rank(key, read.sourced.event) } };
          } catch (error) {
            ranked = { kind: "invalid", reason: (error as Error).message, raw: "" };
          }
        }
        if (ranked.kind === "event") events.push(ranked.sourced);
        else if (ranked.kind === "tombstone") counts.tombstones += 1;
        else if (ranked.kind === "echo") counts.echoes += 1;
        else {
          counts.invalid += 1;
          const reason = ranked.kind === "invalid" ? ranked.reason : `unknown columns ${ranked.columns.join(", ")}`;
          logger.error(
            { topic, partition, offset: message.offset, reason },
            "unreadable change event: dead-lettered with its raw bytes",
          );
          // Through the sink like the chunk's events: kept in the same transaction, before the offset is committed.
          const bytes = message.value ?? null;
          events.push({
            event: null,
            raw: bytes?.toString("utf8") ?? null,
            undecodable: { reason, bytes, kafka: { topic, partition, offset: message.offset } },
          });
        }
      }
      const done = queue.enqueue(events);
      // Settled below, in order; until then a rejection must not count as unhandled.
      done.catch(() => undefined);
      pending.push({
        last: (chunk[chunk.length - 1] as { offset: string }).offset,
        done,
        seam: context.seam.save(key),
      });
      // Reading a fetch (thousands of messages) is CPU work that only yields to promises: let the sink's
      // database answer (I/O) through between chunks, so it works on one chunk while the next is read.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    for (let i = 0; i < pending.length; i += 1) {
      const { last, done, seam } = pending[i] as (typeof pending)[number];
      // Chunks from here on stay uncommitted: the partition's next owner (or next start) replays them.
      const leave = () => void (counts.uncommitted += pending.length - i);
      try {
        await withHeartbeats(done, heartbeat, heartbeatMs);
      } catch (error) {
        leave();
        if (error instanceof SinkQueueStoppedError) return;
        throw error;
      }
      // Applied and committed in the target. A stop, a seek or a revocation since means another
      // position is authoritative now; the applied chunk then replays harmlessly from the last commit.
      if (!isRunning() || isStale()) return leave();
      resolveOffset(last);
      try {
        // The seam travels with the offset (commit metadata), so whoever resumes here ranks the same way.
        // kafkajs passes the partitions to the OffsetCommit request as they are, metadata included.
        await commitOffsetsIfNecessary({
          topics: [
            {
              topic,
              partitions: [{ partition, offset: nextOffset(last), ...(seam !== null ? { metadata: seam } : {}) }],
            },
          ],
        });
        context.onCommitted(topic, partition, nextOffset(last), batch.highWatermark);
      } catch (error) {
        // A rebalance took the partition (or the coordinator moved): its next owner replays from the last commit.
        logger.warn(
          { err: error, topic, partition, offset: last },
          "offset commit failed; the chunk will be replayed (harmless)",
        );
        leave();
        if (isRebalanceError(error)) throw error;
        return;
      }
    }
    await heartbeat().catch((error: unknown) => {
      if (isRebalanceError(error)) throw error;
    });
  };
}
