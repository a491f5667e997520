import type { PoolClient } from "pg";
import { SINK_SCHEMA } from "../defaults";

/** PostgreSQL's unique_violation: another session created the same origin a moment earlier. */
const UNIQUE_VIOLATION = "23505";

const DDL = `
CREATE SCHEMA IF NOT EXISTS ${SINK_SCHEMA};
CREATE TABLE IF NOT EXISTS ${SINK_SCHEMA}.row_positions (
  target_table text COLLATE "C" NOT NULL,
  row_key text COLLATE "C" NOT NULL,
  lsn numeric NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  written_newer_by text,
  PRIMARY KEY (target_table, row_key)
);
CREATE TABLE IF NOT EXISTS ${SINK_SCHEMA}.dead_letters (
  id bigserial PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now(),
  direction text,
  source_table text,
  row_key text,
  lsn numeric,
  reason text NOT NULL,
  raw jsonb,
  raw_bytes bytea,
  kafka_topic text,
  kafka_partition integer,
  kafka_offset bigint,
  kind text NOT NULL DEFAULT 'unappliable'
);
CREATE TABLE IF NOT EXISTS ${SINK_SCHEMA}.table_truncations (
  target_table text COLLATE "C" PRIMARY KEY,
  lsn numeric NOT NULL
);
DO $$
BEGIN
  -- Schemas created before the key columns were COLLATE "C": byte-wise comparison is cheaper than a
  -- linguistic collation and equal for equality. Changing the collation rebuilds only the key index.
  IF EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
             WHERE a.attrelid = '${SINK_SCHEMA}.row_positions'::regclass AND a.attname IN ('target_table', 'row_key') AND c.collname <> 'C') THEN
    ALTER TABLE ${SINK_SCHEMA}.row_positions ALTER COLUMN target_table TYPE text COLLATE "C", ALTER COLUMN row_key TYPE text COLLATE "C";
  END IF;
  -- Schemas created before newerBy decided conflicts only: the newerBy value the sink last wrote
  -- (ADR 0005). Checked first: ALTER TABLE takes an exclusive lock even when there is nothing to add.
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '${SINK_SCHEMA}.row_positions'::regclass AND attname = 'written_newer_by' AND NOT attisdropped) THEN
    ALTER TABLE ${SINK_SCHEMA}.row_positions ADD COLUMN written_newer_by text;
  END IF;
  -- Schemas created before undecodable Kafka messages were dead-lettered: their bytes as received
  -- and where they were read.
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '${SINK_SCHEMA}.dead_letters'::regclass AND attname = 'raw_bytes' AND NOT attisdropped) THEN
    ALTER TABLE ${SINK_SCHEMA}.dead_letters ADD COLUMN raw_bytes bytea, ADD COLUMN kafka_topic text, ADD COLUMN kafka_partition integer, ADD COLUMN kafka_offset bigint;
  END IF;
  -- Schemas created before conflicts were recorded with the dead letters (kind 'conflict').
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '${SINK_SCHEMA}.dead_letters'::regclass AND attname = 'kind' AND NOT attisdropped) THEN
    ALTER TABLE ${SINK_SCHEMA}.dead_letters ADD COLUMN kind text NOT NULL DEFAULT 'unappliable';
  END IF;
END $$;`;

/**
 * Creates the sink's side tables (row positions, truncate positions, dead letters) and brings an
 * older schema up to date (`table_truncations`, `row_positions.written_newer_by`, and the dead
 * letters' `raw_bytes`, `kafka_*` and `kind` columns are added, the position key becomes COLLATE "C").
 * Under an advisory lock because concurrent CREATE … IF NOT EXISTS can still collide on the
 * catalog's unique indexes.
 */
export async function ensureSinkSchema(client: PoolClient): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('${SINK_SCHEMA}'))`);
    await client.query(DDL);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

/**
 * Makes this session's writes carry the replication origin `origin` (cluster-wide, created if absent),
 * so a pgoutput reader with `origin 'none'` does not echo them back (two-way sync, ADR 0005).
 */
export async function setupReplicationOrigin(client: PoolClient, origin: string): Promise<void> {
  try {
    await client.query(
      "SELECT pg_replication_origin_create($1) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_origin WHERE roname = $1)",
      [origin],
    );
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
  }
  await client.query("SELECT pg_replication_origin_session_setup($1)", [origin]);
}
