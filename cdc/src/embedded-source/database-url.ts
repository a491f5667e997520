import { redactDatabaseUrl } from "@strangler/migration-config";
import { isTransientError } from "../sink/transient-error";

export { redactDatabaseUrl };

/**
 * Connecting to a database failed. The message names the database without its password;
 * `retriable` when the cause is transient (refused, reset, timed out, starting up or shutting down):
 * the CDC process then keeps trying with a backoff instead of exiting.
 */
export class DatabaseConnectionError extends Error {
  readonly code = "CDC_DATABASE_UNREACHABLE";
  readonly retriable: boolean;
  /** The database URL, password redacted. */
  readonly database: string;
  /** `what`: the failed action, e.g. "cannot connect to" or "lost the connection to". */
  constructor(role: string, url: string, cause: unknown, what = "cannot connect to") {
    const database = redactDatabaseUrl(url);
    // The cause's message is part of this one; not also attached as `cause`, which pino would append again.
    super(`${what} the ${role} database ${database}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "DatabaseConnectionError";
    this.database = database;
    this.retriable = isTransientError(cause);
  }
}

/** Runs connect(), turning its failure into a DatabaseConnectionError that names the database. */
export async function connectOrExplain(role: string, url: string, connect: () => Promise<unknown>): Promise<void> {
  try {
    await connect();
  } catch (error) {
    throw new DatabaseConnectionError(role, url, error);
  }
}
