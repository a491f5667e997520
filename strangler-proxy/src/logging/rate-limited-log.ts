import type { Logger } from "pino";

/** Logs a repeating event at most once per interval per key, with how many were suppressed in between. */
export type RateLimitedLog = (
  level: "error" | "warn",
  key: string,
  fields: Record<string, unknown>,
  message: string,
) => void;

const MAX_KEYS = 200;

export function createRateLimitedLog(logger: Logger, intervalMs: number, now: () => number = Date.now): RateLimitedLog {
  const seen = new Map<string, { at: number; suppressed: number }>();
  return (level, key, fields, message) => {
    const entry = seen.get(key);
    const time = now();
    if (entry && time - entry.at < intervalMs) {
      entry.suppressed += 1;
      return;
    }
    if (seen.size >= MAX_KEYS) seen.clear();
    seen.set(key, { at: time, suppressed: 0 });
    logger[level]({ ...fields, ...(entry?.suppressed ? { suppressed: entry.suppressed } : {}) }, message);
  };
}
