import type { PoolClient } from "pg";
import { DEAD_LETTER_REASON_MAX_LENGTH, SINK_SCHEMA } from "../defaults";
import { underSavepoint } from "./savepoint";
import { isTransientError } from "./transient-error";

/** One event the sink could not apply, with what is known about it. */
export interface DeadLetter {
  direction: string;
  sourceTable: string | null;
  rowKey: string | null;
  lsn: number | null;
  reason: string;
  raw: unknown;
  /** `unappliable` (the default): the event could not be applied; `conflict`: the newerBy rule kept a later target row; `violation`: read in watch mode. */
  kind?: DeadLetterKind;
  /** A message the transport could not read: its bytes exactly as received. */
  rawBytes?: Buffer | null;
  /** Where a Kafka message came from. */
  kafka?: { topic: string; partition: number; offset: string };
}

/**
 * Why a dead letter was recorded: an event the sink could not apply, one that lost a newerBy conflict,
 * a message the transport could not read, or a write read while the stream watches (ADR 0019).
 */
export type DeadLetterKind = "unappliable" | "conflict" | "undecodable" | "violation";

// Keep the raw message as JSON when it is JSON (a Kafka value arrives as a string or Buffer).
function rawAsJson(raw: unknown): string {
  const text = Buffer.isBuffer(raw) ? raw.toString("utf8") : raw;
  if (typeof text === "string") {
    try {
      return JSON.stringify(JSON.parse(text));
    } catch {
      return JSON.stringify(text);
    }
  }
  return JSON.stringify(text ?? null);
}

async function insert(client: PoolClient, letter: DeadLetter, reason: string, raw: string | null): Promise<void> {
  await client.query(
    `INSERT INTO ${SINK_SCHEMA}.dead_letters (direction, source_table, row_key, lsn, reason, raw, raw_bytes, kafka_topic, kafka_partition, kafka_offset, kind)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11)`,
    [
      letter.direction,
      letter.sourceTable,
      letter.rowKey,
      letter.lsn === null ? null : String(letter.lsn),
      reason.slice(0, DEAD_LETTER_REASON_MAX_LENGTH),
      raw,
      letter.rawBytes ?? null,
      letter.kafka?.topic ?? null,
      letter.kafka?.partition ?? null,
      letter.kafka?.offset ?? null,
      letter.kind ?? "unappliable",
    ],
  );
}

/** Writes a dead letter inside the caller's transaction, so it commits with the rest of the batch. */
export async function insertDeadLetter(client: PoolClient, letter: DeadLetter): Promise<void> {
  try {
    await underSavepoint(client, () => insert(client, letter, letter.reason, rawAsJson(letter.raw)));
  } catch (error) {
    if (isTransientError(error)) throw error;
    // jsonb refuses some JSON (\u0000); a raw event that cannot be stored must not block the stream.
    await insert(client, letter, `${letter.reason} (raw event not stored: ${(error as Error).message})`, null);
  }
}
