/** Every error code of the toolkit stores. */
export type ToolkitStoreErrorCode =
  /** The toolkit database cannot be reached or answered with a transient failure: try again later. */
  | "TOOLKIT_STORE_UNAVAILABLE"
  /** The schema could not be created or brought up to date. */
  | "TOOLKIT_STORE_SCHEMA_FAILED"
  /** A statement failed for a reason a retry will not fix. */
  | "TOOLKIT_STORE_QUERY_FAILED"
  /** The store was used after close(). */
  | "TOOLKIT_STORE_CLOSED"
  /** A compare-and-set lost: the stored version moved since the caller read it (read again, decide again). */
  | "TOOLKIT_STORE_CONFLICT"
  /** A lock only one process may hold (the plan runner's) is held by another. */
  | "TOOLKIT_STORE_LOCKED";

/** SQLSTATE classes that say "try again later": connection, rollback, resources, operator intervention. */
const TRANSIENT_CLASSES = new Set(["08", "40", "53", "57"]);

/** The one error type of the toolkit stores: a stable code, whether a retry may help, and the cause. */
export class ToolkitStoreError extends Error {
  constructor(
    readonly code: ToolkitStoreErrorCode,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ToolkitStoreError";
  }
}

/** Wraps a node-postgres error: connection and transient SQL failures are retriable, the rest are not. */
export function toStoreError(error: unknown, doing: string): ToolkitStoreError {
  if (error instanceof ToolkitStoreError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const transient =
    typeof code === "string"
      ? /^[0-9A-Z]{5}$/.test(code)
        ? TRANSIENT_CLASSES.has(code.slice(0, 2))
        : /^E[A-Z]+$/.test(code)
      : error instanceof AggregateError || /connect|terminated|timeout|socket/i.test(message);
  return new ToolkitStoreError(
    transient ? "TOOLKIT_STORE_UNAVAILABLE" : "TOOLKIT_STORE_QUERY_FAILED",
    `toolkit database: ${doing} failed: ${message}`,
    transient,
    { cause: error },
  );
}
