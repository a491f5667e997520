import type { EachBatchPayload } from "kafkajs";
import type { Logger } from "pino";
import type { SourcedEvent } from "../sink/event-sink";
import { SINK_WAIT_HEARTBEAT_MS } from "./defaults";
import { type MessageReaderOptions, readDebeziumMessage } from "./debezium-message";
import type { SeamPositions } from "./seam-positions";
import { type SinkQueue, SinkQueueStoppedError } from "./sink-queue";

/** Counters of what the handler saw that never reached the sink. */
export interface HandlerCounts {
  tombstones: number;
  echoes: number;
  invalid: number;
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
  heartbeatMs?: number;
}

/** The offset Kafka stores as committed: the next one to read. */
const nextOffset = (offset: string): string => (BigInt(offset) + 1n).toString();

/** Awaits `work`, heartbeating the group meanwhile so a slow sink batch does not cost the partition. */
async function withHeartbeats<T>(work: Promise<T>, heartbeat: () => Promise<void>, everyMs: number): Promise<T> {
  const timer = setInterval(() => void heartbeat().catch(() => undefined), everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/**
 * The kafkajs `eachBatch` of the Debezium transport (autoCommit off, eachBatchAutoResolve off).
 * Messages are read into events (tombstones, echoes and unreadable messages are skipped and only
 * acknowledged), applied through the shared sink queue chunk by chunk, and each chunk's offsets are
 * resolved and committed only after the sink's database commit. A stopped consumer or a partition
 * that was revoked or seeked meanwhile (isStale) commits nothing more: the next owner replays from
 * the last commit, and the sink's version guard makes the replay harmless.
 */
export function createBatchHandler(context: BatchHandlerContext): (payload: EachBatchPayload) => Promise<void> {
  const { queue, logger, counts } = context;
  const heartbeatMs = context.heartbeatMs ?? SINK_WAIT_HEARTBEAT_MS;
  return async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
    const { topic, partition } = batch;
    const messages = batch.messages;
    // All chunks go to the queue at once (the sink works on one while the next is read and the
    // previous one's offset is committed); offsets are still committed strictly in order.
    const pending: Array<{ last: string; done: Promise<void> }> = [];
    for (let start = 0; start < messages.length; start += context.chunkSize) {
      const chunk = messages.slice(start, start + context.chunkSize);
      const events: SourcedEvent[] = [];
      for (const message of chunk) {
        const read = readDebeziumMessage(message.value, context.reader);
        if (read.kind === "event") events.push({ ...read.sourced, event: read.sourced.event && context.seam.rank(`${topic}/${partition}`, read.sourced.event) });
        else if (read.kind === "tombstone") counts.tombstones += 1;
        else if (read.kind === "echo") counts.echoes += 1;
        else {
          counts.invalid += 1;
          logger.error({ topic, partition, offset: message.offset, reason: read.reason }, "unreadable change event skipped");
        }
      }
      const done = queue.enqueue(events);
      // Settled below, in order; until then a rejection must not count as unhandled.
      done.catch(() => undefined);
      pending.push({ last: (chunk[chunk.length - 1] as { offset: string }).offset, done });
    }
    for (const { last, done } of pending) {
      try {
        await withHeartbeats(done, heartbeat, heartbeatMs);
      } catch (error) {
        if (error instanceof SinkQueueStoppedError) return;
        throw error;
      }
      // Applied and committed in the target. A stop, a seek or a revocation since means another
      // position is authoritative now; the applied chunk then replays harmlessly from the last commit.
      if (!isRunning() || isStale()) return;
      resolveOffset(last);
      try {
        await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: nextOffset(last) }] }] });
        context.onCommitted(topic, partition, nextOffset(last), batch.highWatermark);
      } catch (error) {
        // A rebalance took the partition (or the coordinator moved): its next owner replays from the last commit.
        logger.warn({ err: error, topic, partition, offset: last }, "offset commit failed; the chunk will be replayed (harmless)");
        return;
      }
    }
    await heartbeat().catch(() => undefined);
  };
}
