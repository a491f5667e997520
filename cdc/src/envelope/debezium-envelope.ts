import { isInteger, isSafeNumber, parse as parseLossless } from "lossless-json";
import { z } from "zod";

/** A row image: column name → value, as Debezium's JSON converter (schemas off) writes it. */
export type RowImage = Record<string, unknown>;

/** Debezium operations: create, update, delete, read (snapshot), truncate. */
export type ChangeOp = "c" | "u" | "d" | "r" | "t";

/** The `source` block of a Debezium PostgreSQL change event: where the change came from. */
export interface ChangeSource {
  /** The WAL position of the change (Debezium: the commit's or the change's LSN), as a number. */
  lsn: number;
  txId: number | null;
  ts_ms: number;
  db: string;
  schema: string;
  table: string;
  /** "true", "last", "false" (Debezium writes a string), or a boolean. */
  snapshot: string | boolean;
  [extra: string]: unknown;
}

/** A Debezium PostgreSQL change event envelope (JSON converter, schemas.enable=false). */
export interface ChangeEvent {
  before: RowImage | null;
  after: RowImage | null;
  source: ChangeSource;
  op: ChangeOp;
  ts_ms: number;
  /**
   * On a delete: the row did not go away, its primary key changed to this one (a key-only image).
   * Not part of Debezium's envelope: its header `__debezium.newkey` carries it; the sink also sets it
   * when it splits an update whose key changed (key-move.ts).
   */
  keyMovedTo?: RowImage;
}

const rowImage = z.record(z.string(), z.unknown()).nullable();
const source = z.looseObject({
  lsn: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)], {
    error: "must be the LSN as a number",
  }),
  txId: z
    .number()
    .int()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  ts_ms: z.number({ error: "must be a time in milliseconds" }),
  db: z.string(),
  schema: z.string(),
  table: z.string(),
  snapshot: z
    .union([z.boolean(), z.string()])
    .optional()
    .transform((v) => v ?? false),
});

export const changeEventSchema = z
  .object({
    before: rowImage.optional().transform((v) => v ?? null),
    after: rowImage.optional().transform((v) => v ?? null),
    source,
    op: z.enum(["c", "u", "d", "r", "t"], { error: "must be one of c, u, d, r, t" }),
    ts_ms: z.number({ error: "must be a time in milliseconds" }),
  })
  .superRefine((event, ctx) => {
    if ((event.op === "c" || event.op === "r" || event.op === "u") && event.after === null) {
      ctx.addIssue({ code: "custom", path: ["after"], message: `op "${event.op}" needs an after image` });
    }
    if (event.op === "d" && event.before === null)
      ctx.addIssue({
        code: "custom",
        path: ["before"],
        message: 'op "d" needs a before image (REPLICA IDENTITY FULL or the key)',
      });
  });

/** Why an event could not be read; the message says what is wrong with it. */
export class ChangeEventError extends Error {
  readonly code = "CDC_INVALID_EVENT";
  constructor(message: string) {
    super(message);
    this.name = "ChangeEventError";
  }
}

const OPS: ReadonlySet<unknown> = new Set(["c", "u", "d", "r", "t"]);
const isImage = (value: unknown): value is RowImage | null | undefined =>
  value === null || value === undefined || (typeof value === "object" && !Array.isArray(value));
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The event when `input` is well formed (what changeEventSchema accepts, and the same result), else
 * null: then zod reads it again and says what is wrong. zod costs several microseconds an event,
 * which is measurable at Kafka's rates; this check is the common case's shortcut, never a second rule.
 */
function wellFormedEvent(input: unknown): ChangeEvent | null {
  if (!isRecord(input)) return null;
  const { before, after, source, op, ts_ms: tsMs } = input;
  if (!OPS.has(op) || typeof tsMs !== "number" || !isImage(before) || !isImage(after) || !isRecord(source)) return null;
  const { lsn, txId, ts_ms: sourceTsMs, db, schema, table, snapshot } = source;
  const lsnOk =
    (typeof lsn === "number" && Number.isInteger(lsn) && lsn >= 0) || (typeof lsn === "string" && /^\d+$/.test(lsn));
  if (
    !lsnOk ||
    typeof sourceTsMs !== "number" ||
    typeof db !== "string" ||
    typeof schema !== "string" ||
    typeof table !== "string"
  )
    return null;
  if (!(txId === undefined || txId === null || (typeof txId === "number" && Number.isInteger(txId)))) return null;
  if (!(snapshot === undefined || typeof snapshot === "boolean" || typeof snapshot === "string")) return null;
  const event = {
    before: before ?? null,
    after: after ?? null,
    source: { ...source, lsn: Number(lsn), txId: txId ?? null, snapshot: snapshot ?? false } as ChangeSource,
    op: op as ChangeOp,
    ts_ms: tsMs,
  };
  if ((event.op === "c" || event.op === "r" || event.op === "u") && event.after === null) return null;
  if (event.op === "d" && event.before === null) return null;
  return event;
}

/**
 * Parses one Kafka message value (or an embedded-source envelope) into a ChangeEvent. `null`
 * stands for a tombstone (Debezium follows each delete with one, for log compaction).
 */
export function parseChangeEvent(value: unknown): ChangeEvent | null {
  if (value === null) return null;
  const input = typeof value === "string" ? safeJson(value) : value;
  // With schemas on, the envelope sits under "payload".
  const envelope =
    typeof input === "object" && input !== null && "payload" in input && "schema" in input
      ? (input as { payload: unknown }).payload
      : input;
  if (envelope === null) return null;
  const fast = wellFormedEvent(envelope);
  if (fast) return fast;
  const result = changeEventSchema.safeParse(envelope);
  if (result.success) return result.data as ChangeEvent;
  const problems = result.error.issues.map((i) => `${i.path.join(".") || "(event)"}: ${i.message}`).join("; ");
  throw new ChangeEventError(`invalid change event: ${problems}`);
}

/** Integers beyond 2^53 stay exact as decimal strings (the sink writes values as text); other numbers are numbers. */
const exactNumber = (text: string): number | string => (isInteger(text) && !isSafeNumber(text) ? text : Number(text));

/** 16 or more digits in a row: the only way a JSON text can hold an integer that is not a safe integer. */
const LONG_DIGIT_RUN = /\d{16}/;

/**
 * JSON.parse turns Debezium's int8 9007199254740993 into 9007199254740992. A text with a number of
 * 16 or more digits is parsed losslessly (lossless-json: unsafe integers become decimal strings);
 * every other text takes the fast path, since it cannot hold such a number.
 */
export function parseJsonExact(text: string): unknown {
  return LONG_DIGIT_RUN.test(text) ? parseLossless(text, null, exactNumber) : (JSON.parse(text) as unknown);
}

/** Long digit runs, and whether each is the value of a field named ts_us or ts_ns. */
const LONG_DIGIT_RUNS = /("ts_[un]s"\s*:\s*)?-?\d{16,}/g;
const ENVELOPE_TIMESTAMPS = ["ts_us", "ts_ns"] as const;

/** Fields ts_us / ts_ns of the envelope and its source block (also under "payload") holding 16 or more digits. */
function envelopeTimestampRuns(parsed: unknown): number {
  let runs = 0;
  const count = (block: unknown) => {
    if (!isRecord(block)) return;
    for (const field of ENVELOPE_TIMESTAMPS) {
      const value = block[field];
      if (typeof value === "number" && Math.abs(value) >= 1e15) runs += 1;
    }
  };
  for (const envelope of [parsed, isRecord(parsed) ? parsed.payload : undefined]) {
    count(envelope);
    if (isRecord(envelope)) count(envelope.source);
  }
  return runs;
}

/**
 * parseJsonExact for a change event: Debezium 3 writes `ts_us` and `ts_ns` (16–19 digits) into every
 * envelope, which nothing reads, so they alone do not call for the lossless parser (several times
 * slower). When every long number of the text is one of them (counted after the fast parse, so a
 * row column of the same name is not mistaken for one) the fast parse stands.
 */
function parseEnvelopeJson(text: string): unknown {
  let timestampRuns = 0;
  LONG_DIGIT_RUNS.lastIndex = 0;
  for (let match = LONG_DIGIT_RUNS.exec(text); match !== null; match = LONG_DIGIT_RUNS.exec(text)) {
    if (match[1] === undefined) return parseLossless(text, null, exactNumber);
    timestampRuns += 1;
  }
  const parsed = JSON.parse(text) as unknown;
  return timestampRuns === 0 || envelopeTimestampRuns(parsed) === timestampRuns
    ? parsed
    : parseLossless(text, null, exactNumber);
}

function safeJson(text: string): unknown {
  try {
    return parseEnvelopeJson(text);
  } catch (error) {
    throw new ChangeEventError(`invalid change event: not JSON (${(error as Error).message})`);
  }
}

/** The shortcuts parseChangeEvent takes, for their own tests: each must take the common case and nothing else. */
export const envelopeShortcuts = { wellFormedEvent, parseEnvelopeJson } as const;
