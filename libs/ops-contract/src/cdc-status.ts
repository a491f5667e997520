import { z } from "zod";
import { syncDirectionsSchema } from "./plan-state";

const count = z.number().int().nonnegative();

/** Debezium transport: where the consumer group stands on one Kafka partition. */
export const kafkaPartitionPositionSchema = z.object({
  topic: z.string(),
  partition: z.number().int().nonnegative(),
  /** The committed offset (the next message to read), null before the group committed one. */
  committedOffset: z.string().nullable(),
  /** The partition's end when last seen. */
  highWatermark: z.string().nullable(),
  /** Messages not yet committed by the group: highWatermark − committedOffset. */
  lag: z.number().nullable(),
});

/** What every stream reports, whatever carries its events. */
const streamFields = {
  /** "monolith-to-users-service" (forward) or "users-service-to-monolith" (reverse). */
  direction: z.string(),
  /** "reconnecting": the stream failed and is being reopened with a backoff (not ready). */
  phase: z.enum(["snapshot", "streaming", "reconnecting", "stopped"]),
  /** Why the stream is not streaming (a failed start, or what it reconnects from), passwords redacted. */
  lastError: z.string().optional(),
  /** The source LSN acknowledged (embedded) or committed (debezium) after the sink's commit ("16/B374D848"); null before the first. */
  confirmedLsn: z.string().nullable(),
  /** When the sink last committed events of this stream (ms since the epoch); null before the first. */
  lastEventAt: z.number().nullable(),
  /** Lag of the last batch the sink committed: its commit time minus the source commit time of its last change (seconds); null before the first. */
  lagSeconds: z.number().nonnegative().nullable(),
  /** Events the sink committed since the process started, snapshot rows included. */
  applied: count,
  /** Events the sink wrote to its dead-letter table since the process started. */
  deadLettered: count,
  /**
   * apply: the stream applies its source's changes; watch (forward streams, once the service owns the
   * writes): it reads them and applies none. Reverse streams always apply. Absent: an older producer (apply).
   */
  mode: z.enum(["apply", "watch"]).optional(),
  /** Changes read in watch mode since the process started: writes to tables the other side owns, dead-lettered. */
  violations: count.optional(),
  /** When the last violation was read (ms since the epoch); null before the first. */
  lastViolationAt: z.number().nullable().optional(),
};

/** A stream on the embedded transport (logical replication read by the CDC process itself). */
export const embeddedStreamStatusSchema = z.object({
  transport: z.literal("embedded"),
  ...streamFields,
  /** Messages received from the slot and waiting for the sink. */
  queued: count.optional(),
});

/** A stream on the Debezium transport (the connector's Kafka topics, read by a kafkajs consumer group). */
export const debeziumStreamStatusSchema = z.object({
  transport: z.literal("debezium"),
  ...streamFields,
  /** The consumer group's committed offset and lag per partition. */
  position: z.array(kafkaPartitionPositionSchema),
  /** Changes the other direction's sink wrote, dropped (loop prevention). */
  echoes: count,
  tombstones: count,
  /** Messages that are not readable change events, dead-lettered with their bytes. */
  invalid: count,
  /** Chunks applied whose offsets were not committed (stop, revocation, failed commit): replayed by the next owner. */
  uncommitted: count,
  /** The partitions this member was given at its last group join, by topic. */
  assignment: z.record(z.string(), z.array(z.number().int())),
  /** Group joins since start: each one a rebalance (or a restart). */
  groupJoins: count,
});

/** One CDC stream in GET /status. */
export const cdcStreamStatusSchema = z.discriminatedUnion("transport", [
  embeddedStreamStatusSchema,
  debeziumStreamStatusSchema,
]);

/**
 * The CDC directions in force for one service, and the plan state version they come from, so the plan
 * runner can confirm the CDC process did what the plan asked (as proxy replicas confirm a flag).
 */
export const cdcPlanAppliedSchema = z.object({
  service: z.string(),
  /** The plan state version the directions were taken from; null: no plan state (the config decides). */
  version: z.number().int().nonnegative().nullable(),
  /** The directions in force: the plan's, or the config's (forward apply, reverse = data.reverse). */
  sync: syncDirectionsSchema,
  /** When they took effect (ms since the epoch): the reverse stream streams or stopped, the forward mode set. */
  appliedAt: z.number(),
});

/**
 * GET /status of the CDC process: every stream (direction, transport, phase, position, lag,
 * counters) and the process's warnings (e.g. a replication slot the config does not use, which
 * keeps WAL for nobody). `strangler cdc status` reads it; nothing scrapes /metrics for it.
 */
export const cdcStatusSchema = z.object({
  streams: z.array(cdcStreamStatusSchema),
  warnings: z.array(z.string()),
  /** Per service with a CDC stream, the directions in force (absent: an older producer). */
  plan: z.array(cdcPlanAppliedSchema).optional(),
});

export type KafkaPartitionPosition = z.output<typeof kafkaPartitionPositionSchema>;
export type EmbeddedStreamStatus = z.output<typeof embeddedStreamStatusSchema>;
export type DebeziumStreamStatus = z.output<typeof debeziumStreamStatusSchema>;
export type CdcStreamStatusDocument = z.output<typeof cdcStreamStatusSchema>;
export type CdcStatusDocument = z.output<typeof cdcStatusSchema>;
export type CdcPlanApplied = z.output<typeof cdcPlanAppliedSchema>;
