import type { RowImage } from "../envelope/debezium-envelope";

/** A source column as the catalog describes it: what Debezium's value for it means. */
export interface SourceColumnType {
  column: string;
  /** information_schema `udt_name`: "timestamp", "timestamptz", "date", "numeric", "jsonb", "_int4" (arrays start with `_`). */
  udtName: string;
  /** Fractional-second digits of time/timestamp columns (0–6), null for other types. */
  datetimePrecision: number | null;
  /** Scale of numeric(p, s) columns, null when unconstrained or not numeric. */
  numericScale: number | null;
}

/**
 * Debezium's `time.precision.mode`: `adaptive` (its default: millis up to precision 3, micros above),
 * `adaptive_time_microseconds` (time always micros) or `connect` (always millis).
 */
export type TimePrecisionMode = "adaptive" | "adaptive_time_microseconds" | "connect";

/** Debezium's `decimal.handling.mode`: `precise` (its default: base64 bytes), `string` or `double`. */
export type DecimalHandlingMode = "precise" | "string" | "double";

/** Debezium's `binary.handling.mode`: `bytes` (its default: base64 in JSON), `base64`, `base64-url-safe` or `hex`. */
export type BinaryHandlingMode = "bytes" | "base64" | "base64-url-safe" | "hex";

export interface WireDecoderOptions {
  timePrecisionMode?: TimePrecisionMode;
  decimalHandlingMode?: DecimalHandlingMode;
  binaryHandlingMode?: BinaryHandlingMode;
}

type Decode = (value: unknown) => unknown;

/** A table's row-image converter, with the columns whose types it was compiled from. */
export type WireDecoder = ((image: RowImage) => RowImage) & { readonly columns: ReadonlySet<string> };

const pad = (n: number | bigint, width: number): string => String(n).padStart(width, "0");

/**
 * Debezium's `infinity` / `-infinity` for a timestamp without time zone (recorded from Debezium 3.7):
 * sent as micros (precision 4–6), Java's Long.MAX_VALUE / MIN_VALUE; sent as millis (precision 0–3),
 * the PostgreSQL JDBC driver's DATE_POSITIVE_INFINITY / DATE_NEGATIVE_INFINITY.
 */
const LONG_MAX = 9_223_372_036_854_775_807n;
const LONG_MIN = -9_223_372_036_854_775_808n;
const JDBC_POSITIVE_INFINITY = 9_223_372_036_825_200_000n;
const JDBC_NEGATIVE_INFINITY = -9_223_372_036_832_400_000n;
/** PostgreSQL's lowest timestamp, 4714-11-24 00:00:00 BC, in microseconds since 1970. */
const MIN_TIMESTAMP_MICROS = -210_866_803_200_000_000n;
/** Epoch days outside PostgreSQL's date range (4713-11-24 BC .. 5874897-12-31): infinity sentinels. */
const MAX_DATE_DAYS = 2_145_042_905n;
const MIN_DATE_DAYS = -2_440_588n;

/** Epoch days → [astronomical year, month, day] (proleptic Gregorian, exact for any integer; H. Hinnant's civil_from_days). */
function civilFromDays(days: bigint): [bigint, bigint, bigint] {
  const z = days + 719_468n;
  const era = (z >= 0n ? z : z - 146_096n) / 146_097n;
  const doe = z - era * 146_097n;
  const yoe = (doe - doe / 1460n + doe / 36_524n - doe / 146_096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const day = doy - (153n * mp + 2n) / 5n + 1n;
  const month = mp < 10n ? mp + 3n : mp - 9n;
  return [yoe + era * 400n + (month <= 2n ? 1n : 0n), month, day];
}

/** Floor division for negative epoch values (BigInt division truncates toward zero). */
const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/**
 * Epoch days → "YYYY-MM-DD". Years 1..9999 exactly as the embedded source writes them; years above
 * 9999 with more digits and years before 1 AD as PostgreSQL writes them ("0044-03-15 BC": there is no
 * year 0, astronomical year 0 is 1 BC), so `date`/`timestamp` input reads them back.
 */
function formatDate(days: bigint): { date: string; bc: boolean } {
  const [year, month, day] = civilFromDays(days);
  const bc = year <= 0n;
  return { date: `${pad(bc ? 1n - year : year, 4)}-${pad(month, 2)}-${pad(day, 2)}`, bc };
}

/**
 * Debezium 3.7 writes a date's `infinity` / `-infinity` as the JDBC driver's infinity instants
 * converted to days and cut to 32 bits: −622191234 and −625821272 (recorded; ±1 with the Connect
 * worker's time zone). Both lie far below PostgreSQL's range; the midpoint tells them apart.
 */
const DATE_INFINITY_SPLIT = -624_000_000n;

/** Epoch days → the date's text, "infinity"/"-infinity" for Debezium's sentinels. */
export function daysToDate(days: bigint): string {
  if (days > MAX_DATE_DAYS) return "infinity";
  if (days < MIN_DATE_DAYS) return days > DATE_INFINITY_SPLIT ? "infinity" : "-infinity";
  const { date, bc } = formatDate(days);
  return bc ? `${date} BC` : date;
}

/**
 * Epoch micros → "2026-11-22T01:46:55.123456Z" (exact: BigInt, no float rounding; millis kept to 3
 * digits); years above 9999 or before 1 AD → "10000-01-01 00:00:00.5" / "0044-03-15 12:00:00 BC",
 * which PostgreSQL reads back (a JavaScript Date cannot: it stops at ±275760 and writes "+010000").
 */
export function microsToIso(micros: bigint): string {
  const days = floorDiv(micros, 86_400_000_000n);
  const inDay = micros - days * 86_400_000_000n;
  const seconds = inDay / 1_000_000n;
  const fraction = inDay % 1_000_000n;
  const clock = `${pad(seconds / 3600n, 2)}:${pad((seconds / 60n) % 60n, 2)}:${pad(seconds % 60n, 2)}`;
  const { date, bc } = formatDate(days);
  const fractionText = fraction % 1000n === 0n ? pad(fraction / 1000n, 3) : pad(fraction, 6);
  if (!bc && date.length === 10) return `${date}T${clock}.${fractionText}Z`;
  return `${date} ${clock}.${fractionText}${bc ? " BC" : ""}`;
}

/**
 * A timestamp without time zone as Debezium sends it (epoch `millis` or `micros`) → its text, with
 * Debezium's infinity sentinels as "infinity"/"-infinity". Throws for a value below PostgreSQL's
 * range: Debezium computes micros in a Java long, so a timestamp after 294247-01-10 arrives wrapped
 * around (recorded: 294276-12-31 23:59:59.999999 as −9223372036853775810) and cannot be applied.
 */
export function timestampText(value: bigint, unit: "millis" | "micros"): string {
  if (unit === "micros" ? value === LONG_MAX : value >= JDBC_POSITIVE_INFINITY) return "infinity";
  if (unit === "micros" ? value === LONG_MIN : value <= JDBC_NEGATIVE_INFINITY) return "-infinity";
  const micros = unit === "micros" ? value : value * 1000n;
  if (micros < MIN_TIMESTAMP_MICROS) {
    throw new Error(
      `timestamp ${value} (${unit} since 1970) is outside PostgreSQL's range: Debezium sends timestamps after 294247-01-10 wrapped around a Java long, so the value is lost and cannot be applied`,
    );
  }
  return microsToIso(micros);
}

const SIGNED_YEAR = /^([+-])(\d{4,})(-.*)$/;

/**
 * A ZonedTimestamp as PostgreSQL reads it: unchanged within years 1..9999 (and "infinity"), else
 * the year without Java's sign, as PostgreSQL writes it ("-4712-01-01T00:00:00Z" → "4713-01-01T00:00:00Z BC").
 */
export function zonedTimestampText(value: string): string {
  const signed = SIGNED_YEAR.exec(value);
  const year = signed ? BigInt(`${signed[1] as string}${signed[2] as string}`) : value.startsWith("0000-") ? 0n : null;
  if (year === null) return value;
  const rest = signed ? (signed[3] as string) : value.slice(4);
  return year <= 0n ? `${pad(1n - year, 4)}${rest} BC` : `${pad(year, 4)}${rest}`;
}

/** An integer as Debezium writes it: a JSON number, or (read losslessly, beyond 2^53) a decimal string. */
function toBigInt(value: unknown): bigint | null {
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  return null;
}

/** Time of day from micros since midnight → "HH:MM:SS.ffffff". */
function microsToTime(micros: bigint): string {
  const total = Number(micros / 1_000_000n);
  const fraction = micros % 1_000_000n;
  const text = `${pad(Math.floor(total / 3600), 2)}:${pad(Math.floor(total / 60) % 60, 2)}:${pad(total % 60, 2)}`;
  return fraction === 0n ? text : `${text}.${pad(fraction, 6)}`;
}

/**
 * bytea as the JSON converter writes it (`binary.handling.mode=bytes`, Debezium's default): base64 →
 * PostgreSQL's hex input form "\\x0a1b…". `hex` mode arrives as hex digits; `base64-url-safe` as base64url.
 */
export function decodeBytea(value: string, mode: BinaryHandlingMode): string {
  if (mode === "hex") return `\\x${value.toLowerCase()}`;
  return `\\x${Buffer.from(value, mode === "base64-url-safe" ? "base64url" : "base64").toString("hex")}`;
}

/**
 * interval: with `interval.handling.mode=string` Debezium writes ISO-8601 ("P1Y2M3DT4H5M6.78S"),
 * which PostgreSQL reads as it is; with `numeric` (its default) an approximate micros count
 * (months as 30.4375 days), kept as "<n> microseconds" — the best that can be done with it.
 */
function decodeInterval(value: unknown): unknown {
  const micros = toBigInt(value);
  if (micros !== null) return `${micros} microseconds`;
  if (typeof value === "number") return `${value} microseconds`;
  return value;
}

/** Big-endian two's-complement bytes (Debezium's precise decimal, base64 in JSON) with a scale → "123.45". */
export function decodeDecimal(base64: string, scale: number): string {
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length === 0) return "0";
  let unscaled = BigInt(`0x${bytes.toString("hex")}`);
  if ((bytes[0] as number) & 0x80) unscaled -= 1n << BigInt(bytes.length * 8);
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

interface Modes {
  time: TimePrecisionMode;
  decimals: DecimalHandlingMode;
  binary: BinaryHandlingMode;
}

function scalarDecoder(type: SourceColumnType, modes: Modes): Decode | null {
  const { time: mode, decimals } = modes;
  const precision = type.datetimePrecision ?? 6;
  const micros = mode !== "connect" && precision > 3;
  switch (type.udtName) {
    // io.debezium.time.Timestamp (millis) / MicroTimestamp (micros), no zone: read as UTC like the embedded source.
    case "timestamp":
      return (value) => {
        const n = toBigInt(value);
        return n === null ? value : timestampText(n, micros ? "micros" : "millis");
      };
    // io.debezium.time.Date: days since the epoch.
    case "date":
      return (value) => {
        const n = toBigInt(value);
        return n === null ? value : daysToDate(n);
      };
    // io.debezium.time.Time (millis) / MicroTime (micros) since midnight.
    case "time": {
      const timeMicros = mode === "adaptive_time_microseconds" || micros;
      return (value) => {
        const n = toBigInt(value);
        return n === null ? value : microsToTime(timeMicros ? n : n * 1000n);
      };
    }
    // io.debezium.time.MicroDuration (numeric, approximate) or Interval (string, ISO-8601).
    case "interval":
      return decodeInterval;
    case "bytea":
      return (value) => (typeof value === "string" ? decodeBytea(value, modes.binary) : value);
    // io.debezium.data.Json: the document's text, which is what the sink writes (ADR 0011).
    case "json":
    case "jsonb":
      return null;
    // io.debezium.time.ZonedTimestamp: ISO-8601 in UTC, but Java writes years before 1 AD signed
    // and astronomical ("-4712-01-01T00:00:00Z" is 4713 BC) and years above 9999 with a "+".
    case "timestamptz":
      return (value) => (typeof value === "string" ? zonedTimestampText(value) : value);
    // decimal.handling.mode=precise: base64 bytes with the column's scale, or (unconstrained numeric)
    // io.debezium.data.VariableScaleDecimal { scale, value }. string/double modes pass through.
    case "numeric":
    case "money":
      // string mode: Debezium spells numeric's infinities with Java's names.
      if (decimals === "string")
        return (value) =>
          value === "POSITIVE_INFINITY" ? "Infinity" : value === "NEGATIVE_INFINITY" ? "-Infinity" : value;
      if (decimals !== "precise") return null;
      return (value) => {
        const scale = type.udtName === "money" ? 2 : type.numericScale;
        if (typeof value === "string" && scale !== null) return decodeDecimal(value, scale);
        if (typeof value === "object" && value !== null && "scale" in value && "value" in value) {
          const { scale: s, value: v } = value as { scale: unknown; value: unknown };
          if (typeof s === "number" && typeof v === "string") return decodeDecimal(v, s);
        }
        return value;
      };
    default:
      return null;
  }
}

/**
 * What Debezium's connector writes for an element of a multi-dimensional array: Java's
 * Object.toString() of the inner array ("[Ljava.lang.String;@7831a174"), the values lost. It reads
 * PostgreSQL arrays one dimension deep only.
 */
const JAVA_ARRAY_NAME = /^\[+L?[\w.$]*;?@[0-9a-f]+$/;

function arrayDecoder(scalar: Decode | null, column: string): Decode {
  const one: Decode = (value) => {
    if (value === null || value === undefined) return value;
    if (typeof value === "string" && JAVA_ARRAY_NAME.test(value)) {
      throw new Error(
        `column ${column}: Debezium sent a multi-dimensional array as Java object names ("${value}"); its PostgreSQL connector reads one dimension only, so this value cannot be applied (use the embedded transport for such columns)`,
      );
    }
    return scalar ? scalar(value) : value;
  };
  return (value) => (Array.isArray(value) ? value.map(one) : one(value));
}

function columnDecoder(type: SourceColumnType, modes: Modes): Decode | null {
  if (type.udtName.startsWith("_"))
    return arrayDecoder(scalarDecoder({ ...type, udtName: type.udtName.slice(1) }, modes), type.column);
  const scalar = scalarDecoder(type, modes);
  if (!scalar) return null;
  return (value) => (value === null || value === undefined ? value : scalar(value));
}

/**
 * Converts a row image as Debezium's JSON converter (schemas off) writes it into the form the
 * embedded source produces, so both transports hand the sink the same values: timestamp without
 * time zone (epoch millis or micros) → ISO-8601 in UTC, date (epoch days) → "YYYY-MM-DD", time →
 * "HH:MM:SS[.ffffff]", precise decimals (base64) → decimal strings, json/jsonb stay their text,
 * timestamptz with a year outside 1..9999 → PostgreSQL's form,
 * bytea (base64) → "\\x…" hex, interval (ISO-8601 string, or micros) → interval text, infinity
 * sentinels → "infinity"/"-infinity". Strings Debezium already writes (timestamptz as
 * ZonedTimestamp, uuid, text) pass unchanged.
 * Columns absent from `types` (or of other types) pass unchanged.
 */
export function compileWireDecoder(types: readonly SourceColumnType[], options: WireDecoderOptions = {}): WireDecoder {
  const modes: Modes = {
    time: options.timePrecisionMode ?? "adaptive",
    decimals: options.decimalHandlingMode ?? "precise",
    binary: options.binaryHandlingMode ?? "bytes",
  };
  const decoders = new Map<string, Decode>();
  for (const type of types) {
    const decode = columnDecoder(type, modes);
    if (decode) decoders.set(type.column, decode);
  }
  const columns = new Set(types.map((type) => type.column));
  if (decoders.size === 0) return Object.assign((image: RowImage) => image, { columns });
  return Object.assign(
    (image: RowImage) => {
      const out: RowImage = { ...image };
      for (const [column, decode] of decoders) if (column in out) out[column] = decode(out[column]);
      return out;
    },
    { columns },
  );
}
