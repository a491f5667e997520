/**
 * Orders newerBy values (a row version or a timestamp) in JavaScript, exactly and for every value
 * PostgreSQL can hold, so the sink can tell whether a key's events go forward in time without asking
 * the database. Anything it cannot read exactly is null: the caller then takes the per-event path,
 * where PostgreSQL compares.
 */

/** Above and below every timestamp (PostgreSQL's range is 4713 BC to 294276 AD, in microseconds < 2^63). */
const INFINITY = 1n << 64n;

const TIMESTAMP =
  /^(\d{4,})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(?:\s*(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?))?( BC)?$/;

/** Days since 1970-01-01 of a proleptic Gregorian date, astronomical year (1 BC = 0): H. Hinnant's days_from_civil. */
function daysFromCivil(year: bigint, month: bigint, day: bigint): bigint {
  const y = month <= 2n ? year - 1n : year;
  const era = (y >= 0n ? y : y - 399n) / 400n;
  const yoe = y - era * 400n;
  const mp = month > 2n ? month - 3n : month + 9n;
  const doy = (153n * mp + 2n) / 5n + day - 1n;
  const doe = yoe * 365n + yoe / 4n - yoe / 100n + doy;
  return era * 146_097n + doe - 719_468n;
}

/** A UTC offset ("+05:30", "-08", "Z", "+0530") in seconds east. */
function offsetSeconds(text: string | undefined): bigint {
  if (!text || text === "Z") return 0n;
  const sign = text.startsWith("-") ? -1n : 1n;
  const digits = text.slice(1).replace(/:/g, "");
  const hours = BigInt(digits.slice(0, 2));
  const minutes = BigInt(digits.slice(2, 4) || "0");
  const seconds = BigInt(digits.slice(4, 6) || "0");
  return sign * (hours * 3600n + minutes * 60n + seconds);
}

/**
 * A newerBy value as a number that orders like PostgreSQL orders it: an integer (a row version) as
 * itself; a date or timestamp in PostgreSQL's or ISO-8601's text form (BC years, offsets, up to
 * microseconds) as microseconds since the epoch (without an offset: as UTC, as every value of one
 * column is); `infinity` / `-infinity` above / below all of them. null: not comparable here.
 */
export function comparableNewerBy(value: unknown): bigint | null {
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : null;
  if (typeof value === "bigint") return value;
  if (typeof value !== "string") return null;
  if (/^-?\d{1,18}$/.test(value)) return BigInt(value);
  const lower = value.toLowerCase();
  if (lower === "infinity" || lower === "+infinity") return INFINITY;
  if (lower === "-infinity") return -INFINITY;
  const match = TIMESTAMP.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, offset, bc] = match;
  const year = bc ? 1n - BigInt(y as string) : BigInt(y as string);
  const days = daysFromCivil(year, BigInt(mo as string), BigInt(d as string));
  const seconds =
    days * 86_400n + BigInt(h ?? "0") * 3600n + BigInt(mi ?? "0") * 60n + BigInt(s ?? "0") - offsetSeconds(offset);
  return seconds * 1_000_000n + BigInt((fraction ?? "").padEnd(6, "0"));
}
