import type { Client } from "pg";
import { SLOT_RELEASE_POLL_MS, SLOT_RELEASE_TIMEOUT_MS, STATE_SCHEMA, STATE_TABLE } from "./defaults";
import { parseLsn } from "./lsn";
import { type SourceTable, qualifiedName, quoteIdent, tableKey } from "./source-tables";

const STATE = `${quoteIdent(STATE_SCHEMA)}.${quoteIdent(STATE_TABLE)}`;
/** PostgreSQL's duplicate_object: two sources racing to create the same publication. */
const DUPLICATE_OBJECT = "42710";

/** What the source recorded about its slot: where the snapshot was taken and whether it finished. */
export interface SourceState {
  consistentLsn: number;
  snapshotComplete: boolean;
  /**
   * The tables ("schema.table") a completed snapshot covers; null in a row written before this was
   * recorded (then the publication's tables tell).
   */
  tables: string[] | null;
  /** Tables added to the stream later, each with the consistent point of its own snapshot. */
  addedTables: Map<string, number>;
}

/** pgoutput's `origin` option (what keeps the sink's own writes out of the stream) arrived in PostgreSQL 16. */
export const MIN_SERVER_VERSION_NUM = 160000;

/**
 * Fails with a message saying what to change when the source server cannot feed the embedded
 * source: PostgreSQL older than 16, or wal_level other than logical.
 */
export async function assertSourceServer(client: Pick<Client, "query">, database: string): Promise<void> {
  const result = await client.query<{ version: string; version_num: string; wal_level: string }>(
    "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS version_num, current_setting('wal_level') AS wal_level",
  );
  const row = result.rows[0];
  if (!row) throw new Error(`could not read the server settings of ${database}`);
  if (Number(row.version_num) < MIN_SERVER_VERSION_NUM) {
    throw new Error(
      `the embedded CDC source needs PostgreSQL 16 or later (pgoutput's origin option); ${database} runs PostgreSQL ${row.version}: use PostgreSQL 16+ or cdc.transport: debezium`,
    );
  }
  if (row.wal_level !== "logical") {
    throw new Error(
      `wal_level is '${row.wal_level}' on the server of ${database}: logical replication needs wal_level=logical (set it and restart PostgreSQL)`,
    );
  }
}

/**
 * Publication FOR TABLE the configured tables (created, or re-pointed when the config changed) and
 * REPLICA IDENTITY FULL on each, so updates and deletes carry the whole before image.
 */
export async function ensurePublication(
  client: Client,
  publicationName: string,
  tables: readonly SourceTable[],
): Promise<void> {
  const list = tables.map(qualifiedName).join(", ");
  const existing = await client.query("SELECT 1 FROM pg_publication WHERE pubname = $1", [publicationName]);
  if (existing.rowCount === 0) {
    try {
      await client.query(`CREATE PUBLICATION ${quoteIdent(publicationName)} FOR TABLE ${list}`);
    } catch (error) {
      if ((error as { code?: string }).code !== DUPLICATE_OBJECT) throw error;
    }
  } else {
    await client.query(`ALTER PUBLICATION ${quoteIdent(publicationName)} SET TABLE ${list}`);
  }
  await ensureReplicaIdentityFull(client, tables);
}

/**
 * REPLICA IDENTITY FULL on each table (names quoted: `"User"` stays `User`), so updates and deletes
 * carry the whole before image, and a table without a primary key can publish them at all.
 */
export async function ensureReplicaIdentityFull(
  client: Pick<Client, "query">,
  tables: readonly SourceTable[],
): Promise<void> {
  for (const table of tables) {
    const identity = await client.query<{ relreplident: string }>(
      "SELECT relreplident FROM pg_class WHERE oid = $1::regclass",
      [qualifiedName(table)],
    );
    // ALTER TABLE takes an exclusive lock: only when the table is not FULL already.
    if (identity.rows[0]?.relreplident !== "f")
      await client.query(`ALTER TABLE ${qualifiedName(table)} REPLICA IDENTITY FULL`);
  }
}

/**
 * The source's state table. Under the same advisory lock as the sink's side tables (same schema): with
 * two-way sync a sink and a source create it in the same database, and concurrent
 * CREATE … IF NOT EXISTS can still collide on the catalog's unique indexes.
 */
export async function ensureStateTable(client: Client): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('${STATE_SCHEMA}'))`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(STATE_SCHEMA)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${STATE} (slot_name text PRIMARY KEY, consistent_lsn pg_lsn NOT NULL, snapshot_completed_at timestamptz)`,
    );
    // Added later: which tables the snapshots cover, and the snapshot point of each table added since.
    await client.query(
      `ALTER TABLE ${STATE} ADD COLUMN IF NOT EXISTS tables text[], ADD COLUMN IF NOT EXISTS added_tables jsonb NOT NULL DEFAULT '{}'`,
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

export async function readSourceState(client: Client, slotName: string): Promise<SourceState | null> {
  const result = await client.query<{
    consistent_lsn: string;
    snapshot_completed_at: Date | null;
    tables: string[] | null;
    added_tables: Record<string, string>;
  }>(`SELECT consistent_lsn::text, snapshot_completed_at, tables, added_tables FROM ${STATE} WHERE slot_name = $1`, [
    slotName,
  ]);
  const row = result.rows[0];
  if (!row) return null;
  const addedTables = new Map(Object.entries(row.added_tables).map(([table, lsn]) => [table, parseLsn(lsn)]));
  return {
    consistentLsn: parseLsn(row.consistent_lsn),
    snapshotComplete: row.snapshot_completed_at !== null,
    tables: row.tables,
    addedTables,
  };
}

export async function recordSnapshotStarted(
  client: Client,
  slotName: string,
  consistentLsn: string,
  tables: readonly SourceTable[],
): Promise<void> {
  await client.query(
    `INSERT INTO ${STATE} (slot_name, consistent_lsn, snapshot_completed_at, tables, added_tables) VALUES ($1, $2::pg_lsn, NULL, $3, '{}')
     ON CONFLICT (slot_name) DO UPDATE SET consistent_lsn = EXCLUDED.consistent_lsn, snapshot_completed_at = NULL, tables = EXCLUDED.tables, added_tables = '{}'`,
    [slotName, consistentLsn, tables.map(tableKey)],
  );
}

/** Records the tables the snapshots now cover, and the snapshot point of each table added (added ones merge in). */
export async function recordTables(
  client: Client,
  slotName: string,
  tables: readonly SourceTable[],
  added: ReadonlyMap<string, string>,
): Promise<void> {
  await client.query(`UPDATE ${STATE} SET tables = $2, added_tables = added_tables || $3::jsonb WHERE slot_name = $1`, [
    slotName,
    tables.map(tableKey),
    JSON.stringify(Object.fromEntries(added)),
  ]);
}

/** The tables of a publication ("schema.table"), null when it does not exist. */
export async function publicationTables(client: Client, publicationName: string): Promise<string[] | null> {
  const exists = await client.query("SELECT 1 FROM pg_publication WHERE pubname = $1", [publicationName]);
  if (exists.rowCount === 0) return null;
  const result = await client.query<{ schemaname: string; tablename: string }>(
    "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1",
    [publicationName],
  );
  return result.rows.map((row) => tableKey({ schema: row.schemaname, table: row.tablename }));
}

export async function recordSnapshotComplete(client: Client, slotName: string): Promise<void> {
  await client.query(`UPDATE ${STATE} SET snapshot_completed_at = now() WHERE slot_name = $1`, [slotName]);
}

export async function slotExists(client: Client, slotName: string): Promise<boolean> {
  const result = await client.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", [slotName]);
  return (result.rowCount ?? 0) > 0;
}

/** The slot's confirmed_flush_lsn, null when the slot does not exist. */
export async function readConfirmedLsn(client: Client, slotName: string): Promise<number | null> {
  const result = await client.query<{ lsn: string | null }>(
    "SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1",
    [slotName],
  );
  const lsn = result.rows[0]?.lsn;
  return lsn ? parseLsn(lsn) : null;
}

/** Waits until no walsender holds the slot (it lingers briefly after the replication connection closes). */
export async function waitForSlotRelease(
  client: Client,
  slotName: string,
  timeoutMs = SLOT_RELEASE_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await client.query<{ active: boolean }>(
      "SELECT active FROM pg_replication_slots WHERE slot_name = $1",
      [slotName],
    );
    if (!result.rows[0]?.active) return;
    if (Date.now() > deadline) throw new Error(`replication slot ${slotName} still active after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, SLOT_RELEASE_POLL_MS));
  }
}

/** Drops the slot once it is released; no-op when it does not exist. */
export async function dropSlot(client: Client, slotName: string): Promise<void> {
  if (!(await slotExists(client, slotName))) return;
  await waitForSlotRelease(client, slotName);
  await client.query("SELECT pg_drop_replication_slot($1)", [slotName]);
}
