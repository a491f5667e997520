import pg from "pg";
import { STORE_CONNECT_TIMEOUT, STORE_IDLE_TIMEOUT, STORE_POOL_SIZE, STORE_STATEMENT_TIMEOUT } from "../defaults";
import { ToolkitStoreError, toStoreError } from "../errors/toolkit-store-error";
import type { StoreLogger } from "../shadow/pg-shadow-result-store";

export interface StorePoolOptions {
  logger: StoreLogger;
  /** Connections in the pool (default STORE_POOL_SIZE). */
  poolSize?: number;
  /** Shown in pg_stat_activity. */
  applicationName: string;
  /** The store's schema: what it is called (for messages) and how it is created or brought up to date. */
  schema: { name: string; ensure(client: pg.PoolClient): Promise<number> };
}

/** Connections to the toolkit database for one store: its schema in place before the first statement, errors as ToolkitStoreError. */
export interface StorePool {
  withClient<T>(doing: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** Runs work in one transaction: committed when it resolves, rolled back when it throws. */
  inTransaction<T>(doing: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A pool for a store of the toolkit database (PostgreSQL), creating the store's schema on first use. */
export function createStorePool(databaseUrl: string, options: StorePoolOptions): StorePool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? STORE_POOL_SIZE,
    connectionTimeoutMillis: STORE_CONNECT_TIMEOUT,
    idleTimeoutMillis: STORE_IDLE_TIMEOUT,
    statement_timeout: STORE_STATEMENT_TIMEOUT,
    application_name: options.applicationName,
  });
  // An idle connection whose server goes away emits 'error' on the pool: without a listener that
  // would crash the process. The next query reports it.
  pool.on("error", (error) => options.logger.debug({ err: error }, "toolkit database connection lost"));
  let schemaReady: Promise<void> | undefined;
  let closed = false;

  async function withClient<T>(doing: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (closed) throw new ToolkitStoreError("TOOLKIT_STORE_CLOSED", `toolkit database: ${doing} after close()`, false);
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw toStoreError(error, doing);
    }
    // A connection lost while the client is checked out (between two statements) is emitted as an
    // 'error' on the client: without a listener that would crash the process. The next statement fails.
    const onError = (error: Error) => options.logger.debug({ err: error }, "toolkit database connection lost");
    client.on("error", onError);
    let broken = false;
    try {
      if (schemaReady === undefined) {
        // Memoised once it succeeded; a failure (database down) is tried again on the next call.
        schemaReady = options.schema.ensure(client).then(
          (version) => options.logger.debug({ schema: options.schema.name, version }, "toolkit schema ready"),
          (error: unknown) => {
            schemaReady = undefined;
            const wrapped = toStoreError(error, `creating the ${options.schema.name} schema`);
            throw wrapped.retriable
              ? wrapped
              : new ToolkitStoreError("TOOLKIT_STORE_SCHEMA_FAILED", wrapped.message, false, { cause: error });
          },
        );
      }
      await schemaReady;
      return await work(client);
    } catch (error) {
      const wrapped = toStoreError(error, doing);
      broken = wrapped.retriable;
      throw wrapped;
    } finally {
      client.off("error", onError);
      // A client whose connection failed is destroyed, not handed out again.
      client.release(broken);
    }
  }

  return {
    withClient,
    inTransaction: (doing, work) =>
      withClient(doing, async (client) => {
        await client.query("BEGIN");
        try {
          const result = await work(client);
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw error;
        }
      }),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
