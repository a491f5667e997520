import { parityDifferenceSchema, type ParityDifference, type ParityTableReport } from "@strangler/ops-contract";
import type { PoolClient } from "pg";
import { PARITY_SCHEMA } from "./parity-schema";
import { rejected, storedRun, type StoredParityRun } from "./parity-run-records";

interface RunRow {
  id: string;
  started_at: Date;
  finished_at: Date | null;
  status: StoredParityRun["status"];
  lag_aware: boolean;
  options: Record<string, unknown>;
  warnings: string[];
  files: StoredParityRun["files"];
}

const RUN_COLUMNS = "id, started_at, finished_at, status, lag_aware, options, warnings, files";

/** One run with its tables in run order; undefined when unknown. */
export async function readRun(client: PoolClient, runId: string): Promise<StoredParityRun | undefined> {
  const rows = await client.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM ${PARITY_SCHEMA}.runs WHERE id = $1`, [runId]);
  const row = rows.rows[0];
  if (row === undefined) return undefined;
  const tables = await readTables(client, [runId]);
  return runOf(row, tables.get(runId) ?? []);
}

/** Runs newest first (by start, then by creation), optionally only those not done. */
export async function readRuns(
  client: PoolClient,
  query: { limit: number; unfinished: boolean },
): Promise<StoredParityRun[]> {
  const rows = await client.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM ${PARITY_SCHEMA}.runs WHERE NOT $1::boolean OR status <> 'done'
     ORDER BY started_at DESC, seq DESC LIMIT $2`,
    [query.unfinished, query.limit],
  );
  const tables = await readTables(
    client,
    rows.rows.map((row) => row.id),
  );
  return rows.rows.map((row) => runOf(row, tables.get(row.id) ?? []));
}

/** A page of a table's differences, in the order found. */
export async function readDifferences(
  client: PoolClient,
  runId: string,
  legacyTable: string,
  page: { after: number; limit: number },
): Promise<Array<ParityDifference & { position: number }>> {
  const rows = await client.query<{ position: string; kind: string; key: string[]; columns: string[] }>(
    `SELECT position, kind, key, columns FROM ${PARITY_SCHEMA}.differences
     WHERE run_id = $1 AND legacy_table = $2 AND position > $3 ORDER BY position LIMIT $4`,
    [runId, legacyTable, page.after, page.limit],
  );
  return rows.rows.map((row) => {
    const parsed = parityDifferenceSchema.safeParse({ kind: row.kind, key: row.key, columns: row.columns });
    if (!parsed.success)
      throw rejected(`reading the differences of ${legacyTable} in parity run ${runId}`, parsed.error.message);
    return { ...parsed.data, position: Number(row.position) };
  });
}

async function readTables(client: PoolClient, runIds: string[]): Promise<Map<string, ParityTableReport[]>> {
  const byRun = new Map<string, ParityTableReport[]>();
  if (runIds.length === 0) return byRun;
  const rows = await client.query<{ run_id: string; report: ParityTableReport }>(
    `SELECT run_id, report FROM ${PARITY_SCHEMA}.tables WHERE run_id = ANY($1::text[]) ORDER BY run_id, position`,
    [runIds],
  );
  for (const row of rows.rows) {
    const tables = byRun.get(row.run_id) ?? [];
    tables.push(row.report);
    byRun.set(row.run_id, tables);
  }
  return byRun;
}

function runOf(row: RunRow, tables: ParityTableReport[]): StoredParityRun {
  return storedRun({
    runId: row.id,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    status: row.status,
    lagAware: row.lag_aware,
    warnings: row.warnings,
    tables,
    files: row.files,
    options: row.options,
  });
}
