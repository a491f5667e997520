import type { PoolClient } from "pg";
import { applySchemaMigrations, type SchemaMigration } from "../pg/schema-migrations";

/** The toolkit database's schema for shadow results (its own, beside the other stores' schemas). */
export const SHADOW_SCHEMA = "strangler_shadow";

/**
 * Ordered migrations: each runs once, in a transaction, and its number is recorded in
 * strangler_shadow.schema_version. Later issues add entries; an entry never changes once released.
 */
const MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    sql: `
CREATE TABLE IF NOT EXISTS ${SHADOW_SCHEMA}.minutes (
  minute timestamptz NOT NULL,
  route_id text NOT NULL,
  service text NOT NULL,
  compared bigint NOT NULL DEFAULT 0,
  matches bigint NOT NULL DEFAULT 0,
  mismatches bigint NOT NULL DEFAULT 0,
  noise_only bigint NOT NULL DEFAULT 0,
  cdc_first bigint NOT NULL DEFAULT 0,
  candidate_errors bigint NOT NULL DEFAULT 0,
  candidate_timeouts bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (minute, route_id)
);
CREATE TABLE IF NOT EXISTS ${SHADOW_SCHEMA}.skipped (
  minute timestamptz NOT NULL,
  route_id text NOT NULL,
  reason text NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (minute, route_id, reason)
);
-- Signatures and paths can be long: keyed by their md5 (a btree entry must stay under ~2.7 kB).
CREATE TABLE IF NOT EXISTS ${SHADOW_SCHEMA}.signatures (
  minute timestamptz NOT NULL,
  route_id text NOT NULL,
  signature_key text NOT NULL,
  signature text NOT NULL,
  fields jsonb NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (minute, route_id, signature_key)
);
CREATE TABLE IF NOT EXISTS ${SHADOW_SCHEMA}.latency (
  minute timestamptz NOT NULL,
  route_id text NOT NULL,
  side text NOT NULL,
  bucket int NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (minute, route_id, side, bucket)
);
CREATE TABLE IF NOT EXISTS ${SHADOW_SCHEMA}.noise (
  route_id text NOT NULL,
  path_key text NOT NULL,
  path text NOT NULL,
  noise_differing bigint NOT NULL DEFAULT 0,
  noise_compared bigint NOT NULL DEFAULT 0,
  differing bigint NOT NULL DEFAULT 0,
  compared bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (route_id, path_key)
);
CREATE TABLE IF NOT EXISTS ${SHADOW_SCHEMA}.examples (
  id text PRIMARY KEY,
  at timestamptz NOT NULL,
  route_id text NOT NULL,
  signature_key text NOT NULL,
  example jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS examples_route_signature ON ${SHADOW_SCHEMA}.examples (route_id, signature_key, at);
CREATE INDEX IF NOT EXISTS examples_at ON ${SHADOW_SCHEMA}.examples (at);`,
  },
];

/** Lock id serialising schema changes between replicas starting at once ("strangler_shadow" in ASCII, cut to 63 bits). */
const SCHEMA_LOCK = 0x737472616e676c;

/**
 * Creates the schema or brings it up to date, idempotently: safe to run from several replicas at once
 * (an advisory lock serialises them) and on every start. Returns the schema version now in place.
 */
export function ensureShadowSchema(client: PoolClient): Promise<number> {
  return applySchemaMigrations(client, SHADOW_SCHEMA, SCHEMA_LOCK, MIGRATIONS);
}
