import type { RowImage } from "../envelope/debezium-envelope";

/**
 * Converts a value parsed by node-postgres' type parsers into what Debezium's JSON converter would
 * write: timestamps as ISO-8601 strings (Debezium's ZonedTimestamp for timestamptz), int8 as a
 * number when it is exact, byte arrays as base64, everything else JSON-friendly as is.
 */
export function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(toJsonValue);
  return value;
}

/** A row as node-postgres or the pgoutput parser gives it → a RowImage. */
export function toRowImage(row: Record<string, unknown> | null | undefined): RowImage | null {
  if (row === null || row === undefined) return null;
  const image: RowImage = {};
  for (const [column, value] of Object.entries(row)) image[column] = toJsonValue(value);
  return image;
}
