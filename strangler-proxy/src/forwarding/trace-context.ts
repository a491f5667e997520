import { randomFillSync } from "node:crypto";
import { TRACE_ID_POOL_BYTES } from "../defaults";

/** A W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header), split. */
export interface Traceparent {
  version: string;
  traceId: string;
  parentId: string;
  flags: string;
}

const HEX = /^[0-9a-f]+$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);
/** The sampled flag: a trace the proxy starts is recorded (the proxy only decides which traces exist, not sampling). */
const SAMPLED = "01";

/**
 * The parts of a valid traceparent, or undefined. Version 00 is exactly 55 characters; a later
 * version may carry more after a dash (the spec's forward compatibility); `ff`, upper-case hex and
 * all-zero ids are invalid. A header sent twice (an array) is invalid.
 */
export function parseTraceparent(value: string | string[] | undefined): Traceparent | undefined {
  if (typeof value !== "string" || value.length < 55) return undefined;
  const version = value.slice(0, 2);
  if (version === "ff" || !HEX.test(version)) return undefined;
  if (version === "00" ? value.length !== 55 : value.length > 55 && value[55] !== "-") return undefined;
  if (value[2] !== "-" || value[35] !== "-" || value[52] !== "-") return undefined;
  const traceId = value.slice(3, 35);
  const parentId = value.slice(36, 52);
  const flags = value.slice(53, 55);
  if (!HEX.test(traceId) || !HEX.test(parentId) || !HEX.test(flags)) return undefined;
  if (traceId === ZERO_TRACE || parentId === ZERO_SPAN) return undefined;
  return { version, traceId, parentId, flags };
}

let pool = Buffer.alloc(0);
let used = 0;

/** `bytes` random bytes as lower-case hex, from a pool refilled by one randomFillSync when used up; never all zeros. */
function randomHex(bytes: number): string {
  for (;;) {
    if (used + bytes > pool.length) {
      pool = randomFillSync(Buffer.allocUnsafe(TRACE_ID_POOL_BYTES));
      used = 0;
    }
    const hex = pool.toString("hex", used, used + bytes);
    used += bytes;
    // All zeros is invalid (about 2^-64 for a span id): draw again.
    if (hex !== ZERO_TRACE && hex !== ZERO_SPAN) return hex;
  }
}

/** A traceparent for a new trace: new trace id, new span id, sampled. */
export function newTraceparent(): string {
  return `00-${randomHex(16)}-${randomHex(8)}-${SAMPLED}`;
}

/** The traceparent of the primary call: the client's when valid (kept as sent), else a new trace. */
export function primaryTraceparent(incoming: string | string[] | undefined): string {
  return parseTraceparent(incoming) === undefined ? newTraceparent() : (incoming as string);
}

/** A sibling call in the same trace (a mirrored request): same trace id and flags, a new span id. */
export function childTraceparent(parent: string): string {
  return `00-${parent.slice(3, 35)}-${randomHex(8)}-${parent.slice(53, 55)}`;
}

/** The trace id of a valid traceparent. */
export function traceIdOf(traceparent: string): string {
  return traceparent.slice(3, 35);
}
