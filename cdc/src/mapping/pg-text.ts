/**
 * Values travel to the target database as PostgreSQL's text form, never through a JavaScript Date
 * or float (ADR 0011): the embedded source reads them as text, Debezium's wire values are decoded
 * into text, and whatever else reaches the sink (a hand-built event, a JSON number) is turned into
 * text here, so the target type's own input function reads it exactly.
 */

/** An array element as PostgreSQL's array input reads it: quoted, with `"` and `\` escaped; NULL unquoted. */
function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (Array.isArray(value)) return arrayText(value);
  const text = toPgText(value) as string;
  return `"${text.replace(/[\\"]/g, "\\$&")}"`;
}

/** A Date is exact only between years 1 and 9999 (toISOString's plain form); others must arrive as text. */
function dateText(value: Date): string {
  const year = value.getUTCFullYear();
  if (Number.isNaN(value.getTime()) || year < 1 || year > 9999)
    throw new TypeError(
      `a Date outside years 1–9999 cannot be written exactly (${String(value)}): pass the value's PostgreSQL text form`,
    );
  return value.toISOString();
}

function arrayText(values: readonly unknown[]): string {
  return `{${values.map(arrayElement).join(",")}}`;
}

/**
 * The PostgreSQL text form of a row value: strings as they are (already text: the sources' form),
 * numbers and booleans as their literal, arrays as an array literal (`{"a","b"}`, nested for more
 * dimensions), other objects as JSON (json/jsonb columns). null and undefined are SQL NULL.
 */
export function toPgText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      // JSON cannot carry NaN or ±Infinity; a number that is one came from code, and PostgreSQL spells them so.
      if (Number.isNaN(value)) return "NaN";
      if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
      // String(-0) is "0": a float8 -0 (Debezium writes -0.0) keeps its sign.
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
    case "boolean":
      return String(value);
    default:
      break;
  }
  if (Array.isArray(value)) return arrayText(value);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `\\x${Buffer.from(value).toString("hex")}`;
  if (value instanceof Date) return dateText(value);
  return JSON.stringify(value);
}
