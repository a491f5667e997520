import type { PoolClient } from "pg";
import { applySchemaMigrations, type SchemaMigration } from "../pg/schema-migrations";

/** The toolkit database's schema for data parity runs (its own, beside the other stores' schemas). */
export const PARITY_SCHEMA = "strangler_parity";

/**
 * Ordered migrations: each runs once, in a transaction, and its number is recorded in
 * strangler_parity.schema_version. Later issues add entries; an entry never changes once released.
 */
const MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    sql: `
-- seq orders runs created in the same millisecond (newest first) where started_at ties.
CREATE TABLE IF NOT EXISTS ${PARITY_SCHEMA}.runs (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  status text NOT NULL,
  lag_aware boolean NOT NULL,
  options jsonb NOT NULL,
  warnings jsonb NOT NULL DEFAULT '[]',
  files jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS runs_started ON ${PARITY_SCHEMA}.runs (started_at DESC, seq DESC);
-- The report is one document (ParityTableReport) rewritten at each checkpoint; differences_count is
-- the last difference position handed out, so positions continue from it under the row lock.
CREATE TABLE IF NOT EXISTS ${PARITY_SCHEMA}.tables (
  run_id text NOT NULL REFERENCES ${PARITY_SCHEMA}.runs (id) ON DELETE CASCADE,
  legacy_table text NOT NULL,
  position int NOT NULL,
  report jsonb NOT NULL,
  differences_count bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, legacy_table)
);
-- No foreign key to tables: its per-row check doubled the time of a 100k-difference checkpoint, and
-- the store only inserts differences after updating (and locking) their table's row in the same transaction.
CREATE TABLE IF NOT EXISTS ${PARITY_SCHEMA}.differences (
  run_id text NOT NULL,
  legacy_table text NOT NULL,
  position bigint NOT NULL,
  kind text NOT NULL,
  key text[] NOT NULL,
  columns text[] NOT NULL,
  PRIMARY KEY (run_id, legacy_table, position)
);`,
  },
];

/**
 * Lock id serialising schema changes between processes starting at once ("parity_s" in ASCII): not
 * the shadow schema's, so the two stores do not wait on each other. A bigint sent as text: it is
 * beyond a JS number's exact range.
 */
const SCHEMA_LOCK = 0x7061726974795f73n.toString();

/**
 * Creates the schema or brings it up to date, idempotently: safe to run from several processes at
 * once (an advisory lock serialises them) and on every start. Returns the schema version now in place.
 */
export function ensureParitySchema(client: PoolClient): Promise<number> {
  return applySchemaMigrations(client, PARITY_SCHEMA, SCHEMA_LOCK, MIGRATIONS);
}
