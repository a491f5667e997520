import type { PlanState } from "@strangler/ops-contract";
import type { PoolClient } from "pg";
import { ToolkitStoreError } from "../errors/toolkit-store-error";
import { createStorePool } from "../pg/pg-store-pool";
import type { StoreLogger } from "../shadow/pg-shadow-result-store";
import {
  conflict,
  planState,
  storedAuditEntry,
  storedState,
  validAuditQuery,
  validTransition,
  validWaitMs,
} from "./plan-records";
import { ensurePlanSchema, PLAN_SCHEMA } from "./plan-schema";
import type { NextPlanState, PlanStore } from "./plan-store";
import { withPgRunnerLock } from "./pg-runner-lock";

export interface PgPlanStoreOptions {
  logger: StoreLogger;
  /** Connections in the pool (default STORE_POOL_SIZE); the runner lock takes one more while held. */
  poolSize?: number;
  now?: () => number;
}

interface StateRow {
  service: string;
  state: NextPlanState;
  version: number;
  updated_at: Date;
}

interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  service: string;
  action: string;
  message: string;
  before: PlanState | null;
  after: PlanState;
  gates: unknown;
}

const STATE_COLUMNS = "service, state, version, updated_at";

/**
 * The plans' state and audit log in the toolkit database (PostgreSQL). The schema is created on first
 * use; a transition is one transaction (compare-and-set on the version, then the audit entry), and the
 * runner lock is a session advisory lock on a connection of its own. Errors are ToolkitStoreError.
 */
export function createPgPlanStore(databaseUrl: string, options: PgPlanStoreOptions): PlanStore {
  const now = options.now ?? Date.now;
  const pool = createStorePool(databaseUrl, {
    logger: options.logger,
    poolSize: options.poolSize,
    applicationName: "strangler-plan",
    schema: { name: PLAN_SCHEMA, ensure: ensurePlanSchema },
  });
  let closed = false;

  return {
    state: (service) =>
      pool.withClient(`reading the plan state of ${service}`, async (client) => {
        const rows = await client.query<StateRow>(
          `SELECT ${STATE_COLUMNS} FROM ${PLAN_SCHEMA}.states WHERE service = $1`,
          [service],
        );
        const row = rows.rows[0];
        return row === undefined ? undefined : stateOf(row);
      }),

    states: () =>
      pool.withClient("listing plan states", async (client) => {
        const rows = await client.query<StateRow>(
          `SELECT ${STATE_COLUMNS} FROM ${PLAN_SCHEMA}.states ORDER BY service COLLATE "C"`,
        );
        return rows.rows.map(stateOf);
      }),

    async transition(service, expectedVersion, input, record) {
      const { next, audit } = validTransition(service, expectedVersion, input, record);
      const updatedAt = new Date(now()).toISOString();
      const after = planState(service, next, expectedVersion + 1, updatedAt);
      return pool.inTransaction(
        `moving the plan state of ${service} from version ${expectedVersion}`,
        async (client) => {
          const before =
            expectedVersion === 0 ? await insertFirst(client, after) : await updateFrom(client, expectedVersion, after);
          await client.query(
            `INSERT INTO ${PLAN_SCHEMA}.audit (at, actor, service, action, message, before, after, gates)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb)`,
            [
              updatedAt,
              audit.actor,
              service,
              audit.action,
              audit.message,
              before === null ? null : JSON.stringify(before),
              JSON.stringify(after),
              JSON.stringify(audit.gates),
            ],
          );
          return after;
        },
      );
    },

    async audit(input) {
      const query = validAuditQuery(input);
      return pool.withClient("reading the plan audit log", async (client) => {
        const rows = await client.query<AuditRow>(
          `SELECT id, at, actor, service, action, message, before, after, gates FROM ${PLAN_SCHEMA}.audit
           WHERE ($1::text IS NULL OR service = $1) AND ($2::bigint IS NULL OR id < $2)
           ORDER BY id DESC LIMIT $3`,
          [query.service ?? null, query.before ?? null, query.limit],
        );
        return rows.rows.map((row) => storedAuditEntry({ ...row, id: Number(row.id), at: row.at.toISOString() }));
      });
    },

    async withRunnerLock(work, lockOptions) {
      const waitMs = validWaitMs(lockOptions);
      if (closed)
        throw new ToolkitStoreError(
          "TOOLKIT_STORE_CLOSED",
          "toolkit database: taking the plan-runner lock after close()",
          false,
        );
      return withPgRunnerLock(databaseUrl, options.logger, waitMs, work);
    },

    async close() {
      closed = true;
      await pool.close();
    },
  };
}

function stateOf(row: StateRow): PlanState {
  return storedState({
    ...row.state,
    service: row.service,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  });
}

/** Version 0 → 1: the insert loses to a concurrent first transition (unique service), never overwrites it. */
async function insertFirst(client: PoolClient, after: PlanState): Promise<null> {
  const { service, version, updatedAt, ...state } = after;
  const inserted = await client.query(
    `INSERT INTO ${PLAN_SCHEMA}.states (service, state, version, updated_at) VALUES ($1, $2::jsonb, $3, $4)
     ON CONFLICT (service) DO NOTHING`,
    [service, JSON.stringify(state), version, updatedAt],
  );
  if (inserted.rowCount === 1) return null;
  const stored = await client.query<{ version: number }>(
    `SELECT version FROM ${PLAN_SCHEMA}.states WHERE service = $1`,
    [service],
  );
  throw conflict(service, 0, stored.rows[0]?.version ?? 0);
}

/**
 * Version n → n + 1. The row lock makes a concurrent transition wait for this one's commit and then
 * see the new version (READ COMMITTED re-reads a locked row), so it loses instead of overwriting.
 */
async function updateFrom(client: PoolClient, expectedVersion: number, after: PlanState): Promise<PlanState> {
  const { service, version, updatedAt, ...state } = after;
  const current = await client.query<StateRow>(
    `SELECT ${STATE_COLUMNS} FROM ${PLAN_SCHEMA}.states WHERE service = $1 FOR UPDATE`,
    [service],
  );
  const row = current.rows[0];
  if (row === undefined || row.version !== expectedVersion) throw conflict(service, expectedVersion, row?.version ?? 0);
  const updated = await client.query(
    `UPDATE ${PLAN_SCHEMA}.states SET state = $3::jsonb, version = $4, updated_at = $5
     WHERE service = $1 AND version = $2`,
    [service, expectedVersion, JSON.stringify(state), version, updatedAt],
  );
  if (updated.rowCount !== 1) throw conflict(service, expectedVersion, row.version);
  return stateOf(row);
}
