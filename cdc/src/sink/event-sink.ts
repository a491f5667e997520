import type { ChangeEvent } from "../envelope/debezium-envelope";

/** One event as a transport hands it over: the parsed event (null for a tombstone) and its raw form. */
export interface SourcedEvent {
  event: ChangeEvent | null;
  /** The raw message, kept for the dead-letter table when the event cannot be applied. */
  raw: unknown;
  /**
   * Set (with `event` null) for a message the transport could not read into a change event: the
   * sink writes it to the dead letters, with its bytes as received and where it came from, in the
   * batch's transaction, so the transport acknowledges it only once it is kept.
   */
  undecodable?: UndecodableMessage;
}

/** A message that is not a readable change event, as the transport received it. */
export interface UndecodableMessage {
  reason: string;
  /** The message value exactly as received (null: none). */
  bytes: Buffer | null;
  /** Where it was read (Debezium transport). */
  kafka?: { topic: string; partition: number; offset: string };
}

/** What the sink reports back for a batch, once the target database committed it. */
export interface BatchResult {
  applied: number;
  /** Duplicates and events older than the row's stored position: acknowledged, not written. */
  skipped: number;
  deadLettered: number;
  /**
   * Events not applied because the target row was changed by another writer and its newerBy value
   * is later (two-way conflicts, ADR 0005); recorded with the dead letters (kind `conflict`).
   */
  conflicts: number;
  /**
   * Changes read in watch mode (the other side owns the table's writes): not applied, recorded with
   * the dead letters (kind `violation`). Absent in a batch applied normally.
   */
  violations?: number;
  /** Highest source LSN in the batch; a transport may acknowledge up to here. */
  highestLsn: number | null;
}

/**
 * Applies change events to a target database. `applyBatch` resolves only after the target's
 * commit, so a transport acknowledges its upstream (LSN, Kafka offset) only then.
 */
export interface EventSink {
  applyBatch(batch: readonly SourcedEvent[]): Promise<BatchResult>;
  close(): Promise<void>;
}
