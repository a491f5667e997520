import { eventTableName } from "../mapping/compile-table-mapping";
import { type ChangeEvent, type RowImage, parseChangeEvent, parseJsonExact } from "../envelope/debezium-envelope";
import type { WireDecoder } from "../mapping/debezium-wire-values";
import type { SourcedEvent } from "../sink/event-sink";

/** What one Kafka message on a Debezium topic turned out to be. */
export type DebeziumMessage =
  | { kind: "event"; sourced: SourcedEvent }
  /**
   * The event has columns the table's decoder was not compiled for (a column added since the types
   * were read): the caller reloads the types and reads the message again, or reads it with `unknownColumns: "pass"`.
   */
  | { kind: "unknown-columns"; table: string; columns: string[] }
  /** A null value: Debezium's tombstone after a delete, for log compaction. Nothing to apply. */
  | { kind: "tombstone" }
  /** A change written by the other direction's sink (its replication origin): an echo, dropped. */
  | { kind: "echo"; event: ChangeEvent }
  | { kind: "invalid"; reason: string; raw: string };

export interface MessageReaderOptions {
  /** Per source table (event.source.table): Debezium's wire values → the embedded source's form. */
  decoders?: ReadonlyMap<string, WireDecoder>;
  /** "report" (default when decoders are given): an image with a column the decoder does not know is returned as `unknown-columns`; "pass": converted with what is known. */
  unknownColumns?: "report" | "pass";
  /**
   * Replication origins of the sinks that write into this source database (the other direction).
   * Debezium (3.x) copies a transaction's origin into `source.origin`; such changes are the sink's
   * own writes coming back and are dropped.
   */
  echoOrigins?: ReadonlySet<string>;
}

/** Debezium's `unavailable.value.placeholder` default: an unchanged TOASTed value it could not read (replica identity not FULL). */
export const UNAVAILABLE_VALUE_PLACEHOLDER = "__debezium_unavailable_value";

/** Leaves unavailable values out of the image, so the sink keeps the target's value instead of writing the placeholder. */
function withoutPlaceholders(image: RowImage): RowImage {
  // Every message passes here: look first, copy only when there is something to leave out.
  let found = false;
  for (const column in image) {
    if (image[column] === UNAVAILABLE_VALUE_PLACEHOLDER) {
      found = true;
      break;
    }
  }
  if (!found) return image;
  return Object.fromEntries(Object.entries(image).filter(([, value]) => value !== UNAVAILABLE_VALUE_PLACEHOLDER));
}

/** Columns of the images that the table's decoder was not compiled for. */
function unknownColumns(event: ChangeEvent, decoder: WireDecoder | undefined): string[] {
  let unknown: Set<string> | null = null;
  for (const image of [event.before, event.after]) {
    if (!image) continue;
    for (const column in image) {
      if (decoder?.columns.has(column)) continue;
      unknown ??= new Set();
      unknown.add(column);
    }
  }
  return unknown ? [...unknown] : [];
}

/**
 * Debezium's header on the delete it sends for a primary-key change: the new key (then comes a
 * create of it). With the connectors' JSON header converter (schemas off) it is the key as JSON.
 */
export const NEW_KEY_HEADER = "__debezium.newkey";

/** The new key of a key change from its header, as a row image in the message's wire form; null when absent or unreadable. */
function newKeyImage(headers: MessageHeaders | undefined): RowImage | null {
  const header = headers?.[NEW_KEY_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === null) return null;
  try {
    const parsed = parseJsonExact(Buffer.isBuffer(value) ? value.toString("utf8") : value);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as RowImage) : null;
  } catch {
    return null;
  }
}

/** Kafka message headers as kafkajs hands them over. */
export type MessageHeaders = Record<string, Buffer | string | Array<Buffer | string> | undefined>;

/**
 * Reads one message value (Buffer or null) into an event for the sink, or says why there is none.
 * A delete with Debezium's new-key header (a primary-key change) carries the new key as `keyMovedTo`.
 */
export function readDebeziumMessage(
  value: Buffer | null,
  options: MessageReaderOptions = {},
  headers?: MessageHeaders,
): DebeziumMessage {
  if (value === null || value.length === 0) return { kind: "tombstone" };
  const text = value.toString("utf8");
  let event: ChangeEvent | null;
  try {
    event = parseChangeEvent(text);
  } catch (error) {
    return { kind: "invalid", reason: (error as Error).message, raw: text };
  }
  if (event === null) return { kind: "tombstone" };
  const origin = event.source.origin;
  if (typeof origin === "string" && options.echoOrigins?.has(origin)) return { kind: "echo", event };
  const table = eventTableName(event.source);
  const decoder = options.decoders?.get(table);
  if (options.decoders && (options.unknownColumns ?? "report") === "report") {
    const unknown = unknownColumns(event, decoder);
    if (unknown.length > 0) return { kind: "unknown-columns", table, columns: unknown };
  }
  const decode = decoder ?? ((image: RowImage) => image);
  const movedTo = event.op === "d" ? newKeyImage(headers) : null;
  try {
    // The parsed event is this message's own: its images are replaced in place.
    if (event.before) event.before = decode(withoutPlaceholders(event.before));
    if (event.after) event.after = decode(withoutPlaceholders(event.after));
    if (movedTo) event.keyMovedTo = decode(movedTo);
  } catch (error) {
    return { kind: "invalid", reason: `value conversion failed: ${(error as Error).message}`, raw: text };
  }
  return { kind: "event", sourced: { event, raw: text } };
}
