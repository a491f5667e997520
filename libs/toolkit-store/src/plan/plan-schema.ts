import type { PoolClient } from "pg";
import { applySchemaMigrations, type SchemaMigration } from "../pg/schema-migrations";

/** The toolkit database's schema for the migration plans' state and audit log. */
export const PLAN_SCHEMA = "strangler_plan";

/**
 * Ordered migrations: each runs once, in a transaction, and its number is recorded in
 * strangler_plan.schema_version. Later issues add entries; an entry never changes once released.
 */
const MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    sql: `
-- state holds the PlanState without service, version and updatedAt: those are the row's columns,
-- so the compare-and-set guard (version) has one source of truth.
CREATE TABLE IF NOT EXISTS ${PLAN_SCHEMA}.states (
  service text PRIMARY KEY,
  state jsonb NOT NULL,
  version int NOT NULL,
  updated_at timestamptz NOT NULL
);
-- before and after are whole PlanState documents as they were at the flip: the log never reads the live state.
CREATE TABLE IF NOT EXISTS ${PLAN_SCHEMA}.audit (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  service text NOT NULL,
  action text NOT NULL,
  message text NOT NULL,
  before jsonb,
  after jsonb NOT NULL,
  gates jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS audit_service ON ${PLAN_SCHEMA}.audit (service, id);`,
  },
];

/**
 * Lock id serialising schema changes between processes starting at once ("plan_sch" in ASCII): not
 * another store's, so stores do not wait on each other. A bigint sent as text: it is beyond a JS
 * number's exact range.
 */
const SCHEMA_LOCK = 0x706c616e5f736368n.toString();

/**
 * The session-level advisory lock only one plan runner holds at a time ("plan_run" in ASCII). Its
 * high half is below 2^31, so pg_locks shows it as classid = PLAN_RUNNER_LOCK >> 32, objid = the low half.
 */
export const PLAN_RUNNER_LOCK = 0x706c616e5f72756en;

/**
 * Creates the schema or brings it up to date, idempotently: safe to run from several processes at
 * once (an advisory lock serialises them) and on every start. Returns the schema version now in place.
 */
export function ensurePlanSchema(client: PoolClient): Promise<number> {
  return applySchemaMigrations(client, PLAN_SCHEMA, SCHEMA_LOCK, MIGRATIONS);
}
