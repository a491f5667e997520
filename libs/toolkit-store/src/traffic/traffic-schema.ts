import type { PoolClient } from "pg";
import { applySchemaMigrations, type SchemaMigration } from "../pg/schema-migrations";

/** The toolkit database's schema for the traffic the proxies served (its own, beside the other stores' schemas). */
export const TRAFFIC_SCHEMA = "strangler_traffic";

/**
 * Ordered migrations: each runs once, in a transaction, and its number is recorded in
 * strangler_traffic.schema_version. Later issues add entries; an entry never changes once released.
 */
const MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    sql: `
-- One row per minute, route and side, summed over every replica (ON CONFLICT adds). The latency
-- histogram is one array of counts per bucket of TRAFFIC_LATENCY_BUCKETS_MS: a row per bucket (as the
-- shadow results keep it) would be ~15 rows per minute, route and side with the traffic's finer buckets.
CREATE TABLE IF NOT EXISTS ${TRAFFIC_SCHEMA}.minutes (
  minute timestamptz NOT NULL,
  route_id text NOT NULL,
  side text NOT NULL CHECK (side IN ('legacy', 'service')),
  service text NOT NULL,
  requests bigint NOT NULL,
  errors bigint NOT NULL,
  latency bigint[] NOT NULL,
  PRIMARY KEY (minute, route_id, side)
);
-- Element-wise sum of two histograms (the longer one's length).
CREATE OR REPLACE FUNCTION ${TRAFFIC_SCHEMA}.add_counts(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY n), '{}')
  FROM unnest(a, b) WITH ORDINALITY AS u(x, y, n)
$$;`,
  },
];

/**
 * Lock id serialising schema changes between processes starting at once ("traffic_" in ASCII): not
 * another store's, so the stores do not wait on each other. A bigint sent as text: it is beyond a JS
 * number's exact range.
 */
const SCHEMA_LOCK = 0x747261666669635fn.toString();

/**
 * Creates the schema or brings it up to date, idempotently: safe to run from several processes at
 * once (an advisory lock serialises them) and on every start. Returns the schema version now in place.
 */
export function ensureTrafficSchema(client: PoolClient): Promise<number> {
  return applySchemaMigrations(client, TRAFFIC_SCHEMA, SCHEMA_LOCK, MIGRATIONS);
}
