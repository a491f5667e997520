// Parts (a) and (b) of bench:cdc: the same N legacy `users` rows applied to `user_profiles` (a)
// through the real sink as Debezium events in its default batch size, and (b) as a plain batched
// upsert (INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE, one transaction per batch), the
// practical limit of the same table on the same server. Each run starts from a truncated table.
import { randomUUID } from "node:crypto";
import { Client } from "pg";
import type { DataTableConfig } from "@strangler/migration-config";
import type { RowImage, Sink, SourcedEvent } from "../../cdc/src";

export interface BenchUser {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  createdAt: string;
  updatedAt: string;
}

/** N distinct legacy users rows (unique ids and emails, two-part names, some without phone). */
export function makeUsers(count: number): BenchUser[] {
  const base = Date.UTC(2026, 0, 1);
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    email: `bench-${i}@example.com`,
    name: `First${i} Last${i % 997}`,
    phone: i % 3 === 0 ? null : `+1555${String(i).padStart(7, "0")}`,
    createdAt: new Date(base + i).toISOString(),
    updatedAt: new Date(base + i + 1000).toISOString(),
  }));
}

function rowImage(user: BenchUser): RowImage {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    phone: user.phone,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

/** Insert events with increasing LSNs, in batches of `batchSize`, built before anything is timed. */
export function makeEventBatches(
  users: readonly BenchUser[],
  table: DataTableConfig,
  batchSize: number,
  firstLsn: number,
): SourcedEvent[][] {
  const batches: SourcedEvent[][] = [];
  const now = Date.now();
  users.forEach((user, i) => {
    const lsn = firstLsn + i * 64;
    const event = {
      before: null,
      after: rowImage(user),
      source: {
        lsn,
        txId: 1000 + i,
        ts_ms: now,
        db: "monolith",
        schema: "public",
        table: table.source,
        snapshot: false,
      },
      op: "c" as const,
      ts_ms: now,
    };
    if (i % batchSize === 0) batches.push([]);
    (batches[batches.length - 1] as SourcedEvent[]).push({ event, raw: event });
  });
  return batches;
}

/** Empties the target table and the sink's row positions and dead letters (if the sink created them yet). */
export async function resetTarget(client: Client, table: DataTableConfig): Promise<void> {
  const sinkTables = await client.query<{ name: string | null }>(
    "SELECT to_regclass('strangler_cdc.row_positions')::text AS name UNION ALL SELECT to_regclass('strangler_cdc.dead_letters')::text",
  );
  const names = [`"${table.target}"`, ...sinkTables.rows.flatMap((r) => (r.name ? [r.name] : []))];
  await client.query(`TRUNCATE ${names.join(", ")}`);
  await client.query(`VACUUM ANALYZE "${table.target}"`);
}

export interface RunResult {
  rows: number;
  ms: number;
  rowsPerSecond: number;
}

const result = (rows: number, ms: number): RunResult => ({ rows, ms, rowsPerSecond: Math.round((rows / ms) * 1000) });

/** (a) The sink's apply rate: every batch through sink.applyBatch, one after the other. */
export async function runSinkBurst(sink: Sink, batches: readonly SourcedEvent[][]): Promise<RunResult> {
  let applied = 0;
  const started = performance.now();
  for (const batch of batches) {
    const outcome = await sink.applyBatch(batch);
    applied += outcome.applied;
    if (outcome.deadLettered > 0) throw new Error(`the sink dead-lettered ${outcome.deadLettered} bench events`);
  }
  const ms = performance.now() - started;
  const expected = batches.reduce((n, b) => n + b.length, 0);
  if (applied !== expected)
    throw new Error(`the sink applied ${applied} of ${expected} events (rerun on a truncated table?)`);
  return result(applied, ms);
}

/**
 * (b) The practical limit: the same rows, mapped the same way (users → user_profiles, name split at
 * the first space), as one unnest upsert per batch in its own transaction.
 */
export async function runPlainUpsert(
  client: Client,
  users: readonly BenchUser[],
  batchSize: number,
): Promise<RunResult> {
  const sql = `INSERT INTO user_profiles AS t (user_id, email_address, first_name, last_name, phone_number, created_at, updated_at)
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[])
    ON CONFLICT (user_id) DO UPDATE SET email_address = EXCLUDED.email_address, first_name = EXCLUDED.first_name,
      last_name = EXCLUDED.last_name, phone_number = EXCLUDED.phone_number, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at`;
  const started = performance.now();
  for (let offset = 0; offset < users.length; offset += batchSize) {
    const slice = users.slice(offset, offset + batchSize);
    const cols: [string[], string[], string[], string[], Array<string | null>, string[], string[]] = [
      [],
      [],
      [],
      [],
      [],
      [],
      [],
    ];
    for (const u of slice) {
      const space = u.name.indexOf(" ");
      cols[0].push(u.id);
      cols[1].push(u.email);
      cols[2].push(space < 0 ? u.name : u.name.slice(0, space));
      cols[3].push(space < 0 ? "" : u.name.slice(space + 1));
      cols[4].push(u.phone);
      cols[5].push(u.createdAt);
      cols[6].push(u.updatedAt);
    }
    await client.query("BEGIN");
    try {
      await client.query(sql, cols);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }
  return result(users.length, performance.now() - started);
}

/** Rows in the target table (a check that a run wrote all of them). */
export async function countTarget(client: Client, table: DataTableConfig): Promise<number> {
  const r = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${table.target}"`);
  return Number(r.rows[0]?.n ?? 0);
}
