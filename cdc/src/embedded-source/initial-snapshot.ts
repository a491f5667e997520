import { Client } from "pg";
import type { ReplicationClientConfig } from "pg-logical-replication";
import type { ChangeEvent } from "../envelope/debezium-envelope";
import type { EventSink } from "../sink/event-sink";
import { connectOrExplain } from "./database-url";
import { parseLsn } from "./lsn";
import { toRowImage } from "./row-values";
import { KEEP_TEXT_TYPES, useTextSession } from "./text-session";
import { type SourceTable, qualifiedName, quoteIdent, quoteLiteral } from "./source-tables";

/** The new slot and the snapshot exported with it; release() closes the replication connection. */
export interface ExportedSlot {
  consistentLsn: string;
  snapshotName: string;
  release(): Promise<void>;
}

/**
 * Creates the logical slot on a replication connection and exports the snapshot that matches its
 * consistent point: every transaction committed before it is in the snapshot, every later one is
 * streamed. The snapshot only lives while that connection stays idle, so the caller imports it
 * before release(). A temporary slot (only its snapshot point is wanted) goes away with release().
 */
export async function createSlotWithSnapshot(
  sourceUrl: string,
  slotName: string,
  options: { temporary?: boolean } = {},
): Promise<ExportedSlot> {
  const config: ReplicationClientConfig = { connectionString: sourceUrl, replication: "database" };
  const replication = new Client(config);
  // An idle client whose server goes away emits 'error'; unheard, that would crash the process.
  // The failure still reaches us through the next query on it.
  replication.on("error", () => undefined);
  await connectOrExplain("source", sourceUrl, () => replication.connect());
  try {
    const result = await replication.query<{ consistent_point: string; snapshot_name: string }>(
      `CREATE_REPLICATION_SLOT ${quoteIdent(slotName)}${options.temporary ? " TEMPORARY" : ""} LOGICAL pgoutput (SNAPSHOT 'export')`,
    );
    const row = result.rows[0];
    if (!row) throw new Error(`CREATE_REPLICATION_SLOT ${slotName} returned no row`);
    return { consistentLsn: row.consistent_point, snapshotName: row.snapshot_name, release: () => replication.end() };
  } catch (error) {
    await replication.end();
    throw error;
  }
}

export interface SnapshotOptions {
  sourceUrl: string;
  db: string;
  tables: readonly SourceTable[];
  batchSize: number;
  slot: ExportedSlot;
  sink: EventSink;
  /** Checked between batches: a stop() during the snapshot abandons it (the next start redoes it). */
  isStopping(): boolean;
  onApplied(count: number): void;
}

/** Reads every row of the tables as of the slot's snapshot and hands them to the sink as op "r". */
export async function runInitialSnapshot(options: SnapshotOptions): Promise<"complete" | "stopped"> {
  const { slot, sink, batchSize } = options;
  const lsn = parseLsn(slot.consistentLsn);
  // Values as PostgreSQL's text, as the stream delivers them (ADR 0011).
  const reader = new Client({ connectionString: options.sourceUrl, types: KEEP_TEXT_TYPES });
  reader.on("error", () => undefined);
  let released = false;
  try {
    // Inside the try: a failed connect must still release the slot's replication connection.
    await connectOrExplain("source", options.sourceUrl, () => reader.connect());
    await useTextSession(reader);
    await reader.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await reader.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(slot.snapshotName)}`);
    // The import pins the snapshot in this transaction; the replication connection is no longer needed.
    await slot.release();
    released = true;
    const startedAt = Date.now();
    let batch: ChangeEvent[] = [];
    // One event is held back so the very last row can be marked snapshot "last", as Debezium does.
    let held: ChangeEvent | null = null;
    const send = async (events: ChangeEvent[]): Promise<void> => {
      if (events.length === 0) return;
      await sink.applyBatch(events.map((event) => ({ event, raw: event })));
      options.onApplied(events.length);
    };
    for (const table of options.tables) {
      await reader.query(`DECLARE strangler_snapshot NO SCROLL CURSOR FOR SELECT * FROM ${qualifiedName(table)}`);
      for (;;) {
        if (options.isStopping()) return "stopped";
        const rows = await reader.query<Record<string, unknown>>(`FETCH ${batchSize} FROM strangler_snapshot`);
        for (const row of rows.rows) {
          if (held) batch.push(held);
          held = snapshotEvent(options.db, table, toRowImage(row), lsn, startedAt);
          if (batch.length >= batchSize) {
            await send(batch);
            batch = [];
          }
        }
        if (rows.rows.length < batchSize) break;
      }
      await reader.query("CLOSE strangler_snapshot");
    }
    if (held) batch.push({ ...held, source: { ...held.source, snapshot: "last" } });
    await send(batch);
    await reader.query("COMMIT");
    return "complete";
  } finally {
    if (!released) await slot.release();
    await reader.end().catch(() => undefined);
  }
}

function snapshotEvent(
  db: string,
  table: SourceTable,
  row: ChangeEvent["after"],
  lsn: number,
  ts: number,
): ChangeEvent {
  return {
    before: null,
    after: row,
    op: "r",
    ts_ms: Date.now(),
    source: { lsn, txId: null, ts_ms: ts, db, schema: table.schema, table: table.table, snapshot: "true" },
  };
}
