import { diffExampleSchema, type DiffExample, type DiffReport } from "@strangler/ops-contract";
import pg from "pg";
import { STORE_CONNECT_TIMEOUT, STORE_IDLE_TIMEOUT, STORE_POOL_SIZE, STORE_STATEMENT_TIMEOUT } from "../defaults";
import { ToolkitStoreError, toStoreError } from "../errors/toolkit-store-error";
import { writeShadowBatch } from "./pg-shadow-batch-writer";
import { noiseDeltaOf, readRouteTotals } from "./pg-shadow-report-reader";
import { buildRouteReport, minuteOf } from "./route-report";
import type { DiffReportQuery, NoiseDelta, ShadowResultStore } from "./shadow-result-store";
import { ensureShadowSchema, SHADOW_SCHEMA } from "./shadow-schema";

/** The little a store logs (a pino logger fits). */
export interface StoreLogger {
  debug(fields: object, message: string): void;
}

export interface PgShadowResultStoreOptions {
  retention: { days: number; examplesPerSignature: number };
  logger: StoreLogger;
  /** Connections in the pool (default STORE_POOL_SIZE). */
  poolSize?: number;
  now?: () => number;
}

/**
 * The shadow results in the toolkit database (PostgreSQL). The schema is created on first use; every
 * write adds to the stored counters, so any number of proxy replicas write to one store and every
 * report sums them. Errors are ToolkitStoreError (retriable when the database is unreachable).
 */
export function createPgShadowResultStore(databaseUrl: string, options: PgShadowResultStoreOptions): ShadowResultStore {
  const now = options.now ?? Date.now;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? STORE_POOL_SIZE,
    connectionTimeoutMillis: STORE_CONNECT_TIMEOUT,
    idleTimeoutMillis: STORE_IDLE_TIMEOUT,
    statement_timeout: STORE_STATEMENT_TIMEOUT,
    application_name: "strangler-shadow-results",
  });
  // An idle connection whose server goes away emits 'error' on the pool: without a listener that
  // would crash the proxy. The next query reports it.
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
    // 'error' on the client: without a listener that would crash the proxy. The next statement fails.
    const onError = (error: Error) => options.logger.debug({ err: error }, "toolkit database connection lost");
    client.on("error", onError);
    let broken = false;
    try {
      if (schemaReady === undefined) {
        // Memoised once it succeeded; a failure (database down) is tried again on the next call.
        schemaReady = ensureShadowSchema(client).then(
          (version) => options.logger.debug({ version }, "shadow results schema ready"),
          (error: unknown) => {
            schemaReady = undefined;
            const wrapped = toStoreError(error, "creating the shadow results schema");
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
    write: (batch) =>
      withClient("writing shadow results", (client) =>
        writeShadowBatch(client, batch, options.retention.examplesPerSignature, now()),
      ),

    report: (query: DiffReportQuery) =>
      withClient("reading the shadow report", async (client): Promise<DiffReport> => {
        const until = query.until ?? now();
        const totals = await readRouteTotals(client, { ...query, since: minuteOf(query.since), until });
        return {
          since: new Date(minuteOf(query.since)).toISOString(),
          until: new Date(until).toISOString(),
          routes: totals.map(buildRouteReport),
        };
      }),

    example: (id) =>
      withClient("reading a shadow example", async (client): Promise<DiffExample | undefined> => {
        const rows = await client.query<{ example: unknown }>(
          `SELECT example FROM ${SHADOW_SCHEMA}.examples WHERE id = $1`,
          [id],
        );
        const row = rows.rows[0];
        return row === undefined ? undefined : diffExampleSchema.parse(row.example);
      }),

    noise: (routeId) =>
      withClient("reading learnt noise", async (client): Promise<NoiseDelta[]> => {
        const rows = await client.query<Record<string, string>>(
          `SELECT route_id, path, noise_differing, noise_compared, differing, compared FROM ${SHADOW_SCHEMA}.noise
           WHERE $1::text IS NULL OR route_id = $1 ORDER BY route_id, path`,
          [routeId ?? null],
        );
        return rows.rows.map(noiseDeltaOf);
      }),

    prune: (olderThan) =>
      withClient("pruning shadow results", async (client) => {
        const before = new Date(olderThan);
        for (const table of ["minutes", "skipped", "signatures", "latency"])
          await client.query(`DELETE FROM ${SHADOW_SCHEMA}.${table} WHERE minute < $1`, [before]);
        await client.query(`DELETE FROM ${SHADOW_SCHEMA}.examples WHERE at < $1`, [before]);
        // Noise is learnt over all time; a path not seen since the retention is forgotten.
        await client.query(`DELETE FROM ${SHADOW_SCHEMA}.noise WHERE updated_at < $1`, [before]);
      }),

    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
