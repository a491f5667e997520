import pino, { type Logger } from "pino";
import { LOG_FLUSH_CHARS, LOG_FLUSH_INTERVAL, LOG_MAX_PENDING_CHARS } from "../defaults";
import { BufferedDestination } from "./buffered-destination";

/**
 * The proxy's JSON logger on stdout (or `fd`). Lines are buffered in memory and written in large
 * asynchronous writes (see BufferedDestination): at most LOG_FLUSH_INTERVAL late, flushed at exit.
 * `bindings` are added to every line (the supervisor's `role`, a worker's `worker` id).
 */
export function createProxyLogger(level: string, fd = 1, bindings: Record<string, string | number> = {}): Logger {
  const destination = new BufferedDestination({
    fd,
    flushChars: LOG_FLUSH_CHARS,
    flushIntervalMs: LOG_FLUSH_INTERVAL,
    maxPendingChars: LOG_MAX_PENDING_CHARS,
  });
  return pino({ name: "strangler-proxy", level, base: { app: "strangler-proxy", ...bindings } }, destination);
}
