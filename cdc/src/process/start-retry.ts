import { isTransientError } from "../sink/transient-error";

/** PostgreSQL's object_in_use: the slot is still held by the walsender of a process that died a moment ago. */
const OBJECT_IN_USE = "55006";

/**
 * True when a stream's start failed for a reason that passes on its own: a database unreachable,
 * starting up or shutting down, a dropped connection, a slot not yet released. Anything else (a
 * missing table, wal_level not logical, a wrong password) ends the process with the error.
 */
export function isRetriableStartError(error: unknown): boolean {
  const details = error as { retriable?: unknown; code?: unknown } | null;
  if (typeof details?.retriable === "boolean") return details.retriable;
  if (details?.code === OBJECT_IN_USE) return true;
  return isTransientError(error);
}
