import { diffExampleSchema, type DiffExample, type DiffReport } from "@strangler/ops-contract";
import { createStorePool } from "../pg/pg-store-pool";
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
  const pool = createStorePool(databaseUrl, {
    logger: options.logger,
    ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
    applicationName: "strangler-shadow-results",
    schema: { name: "shadow results", ensure: ensureShadowSchema },
  });
  const withClient = pool.withClient;

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

    close: () => pool.close(),
  };
}
