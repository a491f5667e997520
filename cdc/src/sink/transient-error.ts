/** SQLSTATE classes that say "try again later", not "this event is bad": connection, rollback, operator intervention, resources. */
const TRANSIENT_CLASSES = new Set(["08", "40", "53", "57"]);
/** lock_not_available (lock_timeout, NOWAIT). */
const LOCK_NOT_AVAILABLE = "55P03";
const CONNECTION_MESSAGE = /connection terminated|connection error|not queryable|socket|ECONN|timeout exceeded/i;

/**
 * True when a SQL error is transient (connection lost, serialization failure, deadlock, lock timeout,
 * shutdown, out of resources): the batch must fail and be retried, the event must not be dead-lettered.
 * Without a SQLSTATE, only node-postgres' connection failures ("Connection terminated unexpectedly",
 * "Client has encountered a connection error and is not queryable", socket errors) count as transient.
 */
export function isTransientError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return error instanceof Error && CONNECTION_MESSAGE.test(error.message);
  if (code === LOCK_NOT_AVAILABLE) return true;
  if (/^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_CLASSES.has(code.slice(0, 2));
  // Node socket errors (ECONNRESET, ECONNREFUSED, ETIMEDOUT, EPIPE …) are not SQLSTATEs.
  return /^E[A-Z]+$/.test(code);
}
