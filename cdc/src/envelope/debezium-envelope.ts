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
  lsn: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)], { error: "must be the LSN as a number" }),
  txId: z.number().int().nullable().optional().transform((v) => v ?? null),
  ts_ms: z.number({ error: "must be a time in milliseconds" }),
  db: z.string(),
  schema: z.string(),
  table: z.string(),
  snapshot: z.union([z.boolean(), z.string()]).optional().transform((v) => v ?? false),
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
    if (event.op === "d" && event.before === null) ctx.addIssue({ code: "custom", path: ["before"], message: 'op "d" needs a before image (REPLICA IDENTITY FULL or the key)' });
  });

/** Why an event could not be read; the message says what is wrong with it. */
export class ChangeEventError extends Error {
  readonly code = "CDC_INVALID_EVENT";
  constructor(message: string) {
    super(message);
    this.name = "ChangeEventError";
  }
}

/**
 * Parses one Kafka message value (or an embedded-source envelope) into a ChangeEvent. `null`
 * stands for a tombstone (Debezium follows each delete with one, for log compaction).
 */
export function parseChangeEvent(value: unknown): ChangeEvent | null {
  if (value === null) return null;
  const input = typeof value === "string" ? safeJson(value) : value;
  // With schemas on, the envelope sits under "payload".
  const envelope = typeof input === "object" && input !== null && "payload" in input && "schema" in input ? (input as { payload: unknown }).payload : input;
  if (envelope === null) return null;
  const result = changeEventSchema.safeParse(envelope);
  if (result.success) return result.data as ChangeEvent;
  const problems = result.error.issues.map((i) => `${i.path.join(".") || "(event)"}: ${i.message}`).join("; ");
  throw new ChangeEventError(`invalid change event: ${problems}`);
}

/** Integers beyond 2^53 stay exact as decimal strings (the sink writes values as text); other numbers are numbers. */
const exactNumber = (text: string): number | string => (isInteger(text) && !isSafeNumber(text) ? text : Number(text));

/** 16 digits in a row: the only way a JSON text can hold an integer that is not a safe integer. */
const LONG_DIGIT_RUN = /\d{16}/;

/**
 * JSON.parse turns Debezium's int8 9007199254740993 into 9007199254740992. A text with a number of
 * 16 or more digits is parsed losslessly (lossless-json: unsafe integers become decimal strings);
 * every other text takes the fast path, since it cannot hold such a number.
 */
export function parseJsonExact(text: string): unknown {
  return LONG_DIGIT_RUN.test(text) ? parseLossless(text, null, exactNumber) : (JSON.parse(text) as unknown);
}

function safeJson(text: string): unknown {
  try {
    return parseJsonExact(text);
  } catch (error) {
    throw new ChangeEventError(`invalid change event: not JSON (${(error as Error).message})`);
  }
}
