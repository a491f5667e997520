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

export interface WireDecoderOptions {
  timePrecisionMode?: TimePrecisionMode;
  decimalHandlingMode?: DecimalHandlingMode;
}

type Decode = (value: unknown) => unknown;

const MS_PER_DAY = 86_400_000;
const pad = (n: number | bigint, width: number): string => String(n).padStart(width, "0");

/** Epoch micros → "2026-11-22T01:46:55.123456Z" (exact: BigInt, no float rounding). */
function microsToIso(micros: bigint): string {
  const millis = micros >= 0n ? micros / 1000n : (micros - 999n) / 1000n;
  const sub = micros - millis * 1000n;
  const iso = new Date(Number(millis)).toISOString();
  return sub === 0n ? iso : `${iso.slice(0, -1)}${pad(sub, 3)}Z`;
}

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

function scalarDecoder(type: SourceColumnType, mode: TimePrecisionMode, decimals: DecimalHandlingMode): Decode | null {
  const precision = type.datetimePrecision ?? 6;
  const micros = mode !== "connect" && precision > 3;
  switch (type.udtName) {
    // io.debezium.time.Timestamp (millis) / MicroTimestamp (micros), no zone: read as UTC like the embedded source.
    case "timestamp":
      return (value) => {
        const n = toBigInt(value);
        return n === null ? value : microsToIso(micros ? n : n * 1000n);
      };
    // io.debezium.time.Date: days since the epoch.
    case "date":
      return (value) => (typeof value === "number" && Number.isInteger(value) ? new Date(value * MS_PER_DAY).toISOString().slice(0, 10) : value);
    // io.debezium.time.Time (millis) / MicroTime (micros) since midnight.
    case "time": {
      const timeMicros = mode === "adaptive_time_microseconds" || micros;
      return (value) => {
        const n = toBigInt(value);
        return n === null ? value : microsToTime(timeMicros ? n : n * 1000n);
      };
    }
    // io.debezium.time.MicroDuration (interval.handling.mode=numeric): approximate micros.
    case "interval":
      return (value) => (typeof value === "number" ? `${value} microseconds` : value);
    // io.debezium.data.Json: the document as a string; the sink (and the embedded source) want the value.
    case "json":
    case "jsonb":
      return (value) => {
        if (typeof value !== "string") return value;
        try {
          return JSON.parse(value) as unknown;
        } catch {
          return value;
        }
      };
    // decimal.handling.mode=precise: base64 bytes with the column's scale, or (unconstrained numeric)
    // io.debezium.data.VariableScaleDecimal { scale, value }. string/double modes pass through.
    case "numeric":
    case "money":
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

function columnDecoder(type: SourceColumnType, mode: TimePrecisionMode, decimals: DecimalHandlingMode): Decode | null {
  const isArray = type.udtName.startsWith("_");
  const scalar = scalarDecoder(isArray ? { ...type, udtName: type.udtName.slice(1) } : type, mode, decimals);
  if (!scalar) return null;
  const one: Decode = (value) => (value === null || value === undefined ? value : scalar(value));
  return isArray ? (value) => (Array.isArray(value) ? value.map(one) : one(value)) : one;
}

/**
 * Converts a row image as Debezium's JSON converter (schemas off) writes it into the form the
 * embedded source produces, so both transports hand the sink the same values: timestamp without
 * time zone (epoch millis or micros) → ISO-8601 in UTC, date (epoch days) → "YYYY-MM-DD", time →
 * "HH:MM:SS[.ffffff]", precise decimals (base64) → decimal strings, json/jsonb strings → values.
 * Strings Debezium already writes (timestamptz as ZonedTimestamp, uuid, text) pass unchanged.
 * Columns absent from `types` (or of other types) pass unchanged.
 */
export function compileWireDecoder(types: readonly SourceColumnType[], options: WireDecoderOptions = {}): (image: RowImage) => RowImage {
  const mode = options.timePrecisionMode ?? "adaptive";
  const decimals = options.decimalHandlingMode ?? "precise";
  const decoders = new Map<string, Decode>();
  for (const type of types) {
    const decode = columnDecoder(type, mode, decimals);
    if (decode) decoders.set(type.column, decode);
  }
  if (decoders.size === 0) return (image) => image;
  return (image) => {
    const out: RowImage = { ...image };
    for (const [column, decode] of decoders) if (column in out) out[column] = decode(out[column]);
    return out;
  };
}
