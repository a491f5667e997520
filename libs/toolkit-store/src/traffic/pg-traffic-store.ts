import type { TrafficReport, TrafficSide } from "@strangler/ops-contract";
import { createStorePool } from "../pg/pg-store-pool";
import type { StoreLogger } from "../shadow/pg-shadow-result-store";
import { buildTrafficReport, storableTrafficDeltas, trafficMinuteOf } from "./traffic-report-builder";
import { ensureTrafficSchema, TRAFFIC_SCHEMA } from "./traffic-schema";
import type { TrafficMinuteDelta, TrafficReportQuery, TrafficStore } from "./traffic-store";

const T = TRAFFIC_SCHEMA;

export interface PgTrafficStoreOptions {
  logger: StoreLogger;
  /** Connections in the pool (default STORE_POOL_SIZE). */
  poolSize?: number;
  now?: () => number;
}

/**
 * The served traffic in the toolkit database (PostgreSQL). The schema is created on first use; a
 * write is one statement that adds every delta to its stored row, so any number of proxy replicas
 * write to one store and a report sums them. Errors are ToolkitStoreError (retriable when the
 * database is unreachable).
 */
export function createPgTrafficStore(databaseUrl: string, options: PgTrafficStoreOptions): TrafficStore {
  const now = options.now ?? Date.now;
  const pool = createStorePool(databaseUrl, {
    logger: options.logger,
    ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
    applicationName: "strangler-traffic",
    schema: { name: "served traffic", ensure: ensureTrafficSchema },
  });

  return {
    async write(deltas) {
      // Checked before a connection is taken: a bad batch is refused even with the database down.
      const rows = storableTrafficDeltas(deltas);
      if (rows.length === 0) return;
      await pool.withClient("writing served traffic", async (client) => {
        // One statement, rows in key order: two replicas adding to the same rows wait for each other
        // instead of deadlocking. Histograms travel as array literals ('{1,0,2}'), unnest takes no 2-D array.
        await client.query(
          `INSERT INTO ${T}.minutes AS t (minute, route_id, side, service, requests, errors, latency)
           SELECT minute, route_id, side, service, requests, errors, latency::bigint[]
           FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[])
             AS u(minute, route_id, side, service, requests, errors, latency)
           ON CONFLICT (minute, route_id, side) DO UPDATE SET
             requests = t.requests + excluded.requests, errors = t.errors + excluded.errors,
             service = excluded.service, latency = ${T}.add_counts(t.latency, excluded.latency)`,
          [
            rows.map((row) => new Date(row.minute)),
            rows.map((row) => row.routeId),
            rows.map((row) => row.side),
            rows.map((row) => row.service),
            rows.map((row) => row.requests),
            rows.map((row) => row.errors),
            rows.map((row) => `{${row.latency.join(",")}}`),
          ],
        );
      });
    },

    report: (query: TrafficReportQuery) =>
      pool.withClient("reading the served traffic", async (client): Promise<TrafficReport> => {
        const since = trafficMinuteOf(query.since.getTime());
        const until = query.until?.getTime() ?? now();
        const rows = await client.query<{
          minute: Date;
          route_id: string;
          side: TrafficSide;
          service: string;
          requests: string;
          errors: string;
          latency: string[];
        }>(
          `SELECT minute, route_id, side, service, requests, errors, latency FROM ${T}.minutes
           WHERE minute >= $1 AND minute <= $2 AND ($3::text IS NULL OR service = $3)
             AND ($4::text[] IS NULL OR route_id = ANY($4))`,
          [new Date(since), new Date(until), query.service ?? null, query.routeIds ?? null],
        );
        const deltas = rows.rows.map((row): TrafficMinuteDelta => ({
          minute: row.minute.getTime(),
          routeId: row.route_id,
          side: row.side,
          service: row.service,
          requests: Number(row.requests),
          errors: Number(row.errors),
          latency: row.latency.map(Number),
        }));
        return buildTrafficReport(deltas, since, until);
      }),

    prune: (olderThan) =>
      pool.withClient("pruning served traffic", async (client) => {
        await client.query(`DELETE FROM ${T}.minutes WHERE minute < $1`, [olderThan]);
      }),

    close: () => pool.close(),
  };
}
