import { toPgText } from "./pg-text";

/**
 * The text that stands for a row's key in the sink's row positions and dead letters: a one-column
 * key as its PostgreSQL text form (`42`, unchanged from before composite keys), a composite key as
 * the JSON array of its columns' text forms in key order (`["1","7"]`). rowKeySql computes the same
 * text from a target row, so both sides agree byte for byte (ADR 0012).
 */
export function encodeRowKey(values: readonly unknown[]): string {
  if (values.length === 1) return toPgText(values[0]) as string;
  return JSON.stringify(values.map((value) => toPgText(value)));
}

/**
 * SQL for encodeRowKey of a row: `columns` are SQL expressions of the key columns (e.g. `t."A"`).
 * array_to_json writes `["1","7"]` without spaces and escapes as JSON.stringify does.
 */
export function rowKeySql(columns: readonly string[]): string {
  if (columns.length === 1) return `(${columns[0] as string})::text`;
  return `array_to_json(ARRAY[${columns.map((c) => `(${c})::text`).join(", ")}])::text`;
}
