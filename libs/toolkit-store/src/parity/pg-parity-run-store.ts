import { createStorePool } from "../pg/pg-store-pool";
import type { StoreLogger } from "../shadow/pg-shadow-result-store";
import {
  parityRunId,
  rejected,
  validCheckpoint,
  validNewRun,
  validOutcome,
  validPage,
  validRunsQuery,
  validWarnings,
  type StoredParityRun,
} from "./parity-run-records";
import type { ParityRunStore } from "./parity-run-store";
import { ensureParitySchema, PARITY_SCHEMA } from "./parity-schema";
import { readDifferences, readRun, readRuns } from "./pg-parity-run-reader";

export interface PgParityRunStoreOptions {
  logger: StoreLogger;
  /** Connections in the pool (default STORE_POOL_SIZE). */
  poolSize?: number;
  now?: () => number;
}

/**
 * Data parity runs in the toolkit database (PostgreSQL). The schema is created on first use; a
 * checkpoint is one transaction (the table's report and its new differences, in one multi-row
 * insert), so a run killed at any moment resumes from a report that agrees with its differences.
 * Errors are ToolkitStoreError (retriable when the database is unreachable).
 */
export function createPgParityRunStore(databaseUrl: string, options: PgParityRunStoreOptions): ParityRunStore {
  const now = options.now ?? Date.now;
  const pool = createStorePool(databaseUrl, {
    logger: options.logger,
    poolSize: options.poolSize,
    applicationName: "strangler-parity-runs",
    schema: { name: PARITY_SCHEMA, ensure: ensureParitySchema },
  });

  return {
    async createRun(input) {
      const run = validNewRun(input);
      const startedAt = now();
      const runId = parityRunId(startedAt);
      await pool.inTransaction("creating a parity run", async (client) => {
        await client.query(
          `INSERT INTO ${PARITY_SCHEMA}.runs (id, started_at, status, lag_aware, options)
           VALUES ($1, $2, 'running', $3, $4::jsonb)`,
          [runId, new Date(startedAt), run.lagAware, JSON.stringify(run.options)],
        );
        await client.query(
          `INSERT INTO ${PARITY_SCHEMA}.tables (run_id, legacy_table, position, report)
           SELECT $1, t.report->>'legacyTable', t.ord - 1, t.report
           FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(report, ord)`,
          [runId, JSON.stringify(run.tables)],
        );
      });
      const created: StoredParityRun = {
        runId,
        startedAt: new Date(startedAt).toISOString(),
        finishedAt: null,
        status: "running",
        lagAware: run.lagAware,
        warnings: [],
        tables: run.tables,
        files: [],
        options: run.options,
      };
      return structuredClone(created);
    },

    async checkpoint(input) {
      const { runId, table, differences } = validCheckpoint(input);
      const doing = `checkpointing ${table.legacyTable} in parity run ${runId}`;
      await pool.inTransaction(doing, async (client) => {
        // The row lock taken here orders concurrent checkpoints of one table, so positions never collide.
        const updated = await client.query<{ last: string }>(
          `UPDATE ${PARITY_SCHEMA}.tables SET report = $3::jsonb, differences_count = differences_count + $4
           WHERE run_id = $1 AND legacy_table = $2 RETURNING differences_count - $4 AS last`,
          [runId, table.legacyTable, JSON.stringify(table), differences.length],
        );
        const last = updated.rows[0]?.last;
        if (last === undefined) throw rejected(doing, "no such run and table");
        if (differences.length === 0) return;
        // One statement for the whole checkpoint, however many differences (a broken table has 100k).
        await client.query(
          `INSERT INTO ${PARITY_SCHEMA}.differences (run_id, legacy_table, position, kind, key, columns)
           SELECT $1, $2, $3::bigint + d.ord, d.kind, d.key, d.columns
           FROM ROWS FROM (jsonb_to_recordset($4::jsonb) AS (kind text, key text[], columns text[]))
             WITH ORDINALITY AS d(kind, key, columns, ord)`,
          [runId, table.legacyTable, last, JSON.stringify(differences)],
        );
      });
    },

    async finishRun(runId, input) {
      const outcome = validOutcome(runId, input);
      const doing = `finishing parity run ${runId}`;
      await pool.withClient(doing, async (client) => {
        // Files appended; an earlier entry for a path written again (by the resumed run) is replaced.
        const updated = await client.query(
          `UPDATE ${PARITY_SCHEMA}.runs SET status = $2, finished_at = $3, warnings = warnings || $4::jsonb,
             files = coalesce(
               (SELECT jsonb_agg(f ORDER BY n) FROM jsonb_array_elements(files) WITH ORDINALITY AS e(f, n)
                WHERE NOT (f->>'path' = ANY($6::text[]))),
               '[]'::jsonb) || $5::jsonb
           WHERE id = $1`,
          [
            runId,
            outcome.status,
            new Date(now()),
            JSON.stringify(outcome.warnings),
            JSON.stringify(outcome.files),
            outcome.files.map((file) => file.path),
          ],
        );
        if (updated.rowCount === 0) throw rejected(doing, "no such run");
      });
    },

    async reopenRun(runId, input) {
      const warnings = validWarnings(runId, input);
      const doing = `reopening parity run ${runId}`;
      await pool.withClient(doing, async (client) => {
        const updated = await client.query(
          `UPDATE ${PARITY_SCHEMA}.runs SET status = 'running', finished_at = NULL, warnings = warnings || $2::jsonb
           WHERE id = $1`,
          [runId, JSON.stringify(warnings)],
        );
        if (updated.rowCount === 0) throw rejected(doing, "no such run");
      });
    },

    run: (runId) => pool.withClient(`reading parity run ${runId}`, (client) => readRun(client, runId)),

    async runs(input = {}) {
      const query = validRunsQuery(input);
      return pool.withClient("listing parity runs", async (client) => {
        const runs = await readRuns(client, query);
        return runs.map(({ options: _options, ...report }) => report);
      });
    },

    async differences(runId, legacyTable, input) {
      const page = validPage(input);
      return pool.withClient(`reading the differences of ${legacyTable} in parity run ${runId}`, (client) =>
        readDifferences(client, runId, legacyTable, page),
      );
    },

    close: () => pool.close(),
  };
}
