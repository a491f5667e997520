import { Client } from "pg";
import type { EventSink } from "../sink/event-sink";
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_BATCH_WINDOW_MS,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_QUEUED_MESSAGES,
} from "./defaults";
import { DatabaseConnectionError, connectOrExplain } from "./database-url";
import type { EmbeddedSourceLogger } from "./embedded-source-logger";
import { snapshotAddedTables } from "./added-tables";
import { createSlotWithSnapshot, runInitialSnapshot } from "./initial-snapshot";
import { formatLsn, parseLsn } from "./lsn";
import { type ReplicationStream, createReplicationStream } from "./replication-stream";
import {
  assertSourceServer,
  dropSlot,
  ensurePublication,
  ensureStateTable,
  publicationTables,
  readConfirmedLsn,
  readSourceState,
  recordSnapshotComplete,
  recordSnapshotStarted,
  slotExists,
  waitForSlotRelease,
} from "./source-setup";
import { parseSourceTable } from "./source-tables";

export interface EmbeddedSourceOptions {
  sourceUrl: string;
  /** "table" (public) or "schema.table". */
  tables: string[];
  slotName: string;
  publicationName: string;
  batchSize?: number;
  batchWindowMs?: number;
  heartbeatMs?: number;
  /** Messages waiting for the sink at most before the source stops reading (DEFAULT_MAX_QUEUED_MESSAGES). */
  maxQueued?: number;
}

export interface EmbeddedSourceDeps {
  sink: EventSink;
  logger: EmbeddedSourceLogger;
}

export interface EmbeddedSourceStatus {
  /**
   * "reconnecting": the stream failed (its connection, or the sink) and is being reopened with a
   * backoff, until the reopened stream makes progress again.
   */
  phase: "snapshot" | "streaming" | "reconnecting" | "stopped";
  /** While reconnecting: why (the source or the sink database, password redacted). */
  lastError?: string;
  /** The slot position acknowledged after the sink's commit ("16/B374D848"), null before the first. */
  confirmedLsn: string | null;
  /** When the sink last committed events from this source (ms since the epoch). */
  lastEventAt: number | null;
  /** Events the sink has committed since start(), snapshot rows included. */
  applied: number;
  /** Messages received from the slot and waiting for the sink (bounded by maxQueued). */
  queued?: number;
}

export interface EmbeddedSource {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): EmbeddedSourceStatus;
}

/**
 * The zero-infrastructure CDC transport: publication + pgoutput slot on the source database, a
 * snapshot consistent with the slot on first run, then the slot's changes, all as Debezium change
 * events into the sink. Acknowledges the slot only after the sink committed.
 */
export function createEmbeddedSource(options: EmbeddedSourceOptions, deps: EmbeddedSourceDeps): EmbeddedSource {
  const tables = options.tables.map(parseSourceTable);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const { sink, logger } = deps;
  let phase: EmbeddedSourceStatus["phase"] = "stopped";
  let stopping = false;
  let stream: ReplicationStream | null = null;
  let confirmedLsn: number | null = null;
  let starting: Promise<void> | null = null;
  let lastEventAt: number | null = null;
  let applied = 0;
  const log = { slot: options.slotName, publication: options.publicationName };

  const counted = (count: number): void => {
    applied += count;
    lastEventAt = Date.now();
  };

  const withClient = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: options.sourceUrl });
    client.on("error", (error) => logger.warn({ ...log, err: error }, "embedded source: source connection error"));
    await connectOrExplain("source", options.sourceUrl, () => client.connect());
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  /**
   * Returns the slot's snapshot point and those of tables added later; takes the snapshot first when
   * the slot is new or it never finished, and that of tables added to the configuration since.
   */
  const prepare = async (db: string): Promise<{ consistentLsn: number; addedTables: Map<string, number> } | null> => {
    const state = await withClient(async (client) => {
      await assertSourceServer(client, db);
      await ensureStateTable(client);
      const existing = await readSourceState(client, options.slotName);
      // Before ensurePublication changes it: the tables a state row from before `tables` was recorded covers.
      const published = existing?.tables ? null : await publicationTables(client, options.publicationName);
      await ensurePublication(client, options.publicationName, tables);
      if (existing?.snapshotComplete && (await slotExists(client, options.slotName)))
        return { ...existing, covered: existing.tables ?? published ?? [] };
      // No slot, or a snapshot that died half way: start over, with a fresh slot and snapshot.
      await dropSlot(client, options.slotName);
      return null;
    });
    if (state) {
      const addedTables = await snapshotAddedTables({
        sourceUrl: options.sourceUrl,
        db,
        slotName: options.slotName,
        tables,
        covered: state.covered,
        recorded: state.tables !== null,
        known: state.addedTables,
        batchSize,
        sink,
        logger,
        withClient,
        isStopping: () => stopping,
        onSnapshot: () => (phase = "snapshot"),
        onApplied: counted,
      });
      return addedTables ? { consistentLsn: state.consistentLsn, addedTables } : null;
    }
    phase = "snapshot";
    const slot = await createSlotWithSnapshot(options.sourceUrl, options.slotName);
    logger.info({ ...log, consistentLsn: slot.consistentLsn }, "embedded source: slot created, taking the snapshot");
    await withClient((client) => recordSnapshotStarted(client, options.slotName, slot.consistentLsn, tables));
    const outcome = await runInitialSnapshot({
      sourceUrl: options.sourceUrl,
      db,
      tables,
      batchSize,
      slot,
      sink,
      isStopping: () => stopping,
      onApplied: counted,
    });
    if (outcome === "stopped") return null;
    await withClient((client) => recordSnapshotComplete(client, options.slotName));
    logger.info({ ...log, rows: applied }, "embedded source: snapshot complete");
    return { consistentLsn: parseLsn(slot.consistentLsn), addedTables: new Map() };
  };

  const run = async (): Promise<void> => {
    stopping = false;
    applied = 0;
    const db = await withClient(
      async (client) => (await client.query<{ db: string }>("SELECT current_database() AS db")).rows[0]?.db ?? "",
    );
    const prepared = await prepare(db);
    if (prepared === null || stopping) {
      phase = "stopped";
      return;
    }
    confirmedLsn = await withClient(async (client) => {
      // After a crash (kill -9) the old walsender may hold the slot until it notices; wait for it.
      await waitForSlotRelease(client, options.slotName);
      return readConfirmedLsn(client, options.slotName);
    });
    stream = createReplicationStream({
      sourceUrl: options.sourceUrl,
      db,
      slotName: options.slotName,
      publicationName: options.publicationName,
      consistentLsn: prepared.consistentLsn,
      addedTables: prepared.addedTables,
      confirmedLsn,
      batchSize,
      batchWindowMs: options.batchWindowMs ?? DEFAULT_BATCH_WINDOW_MS,
      heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      maxQueued: options.maxQueued ?? DEFAULT_MAX_QUEUED_MESSAGES,
      sink,
      logger,
      onApplied: counted,
    });
    try {
      await stream.start();
    } catch (error) {
      stream = null;
      throw error;
    }
    phase = "streaming";
    logger.info(log, "embedded source: streaming");
  };

  return {
    async start() {
      if (phase !== "stopped" || starting) return;
      starting = run();
      try {
        await starting;
      } catch (error) {
        phase = "stopped";
        throw error;
      } finally {
        starting = null;
      }
    },
    async stop() {
      stopping = true;
      // A stop() during the snapshot lets the snapshot notice and give up before the slot is released.
      await starting?.catch(() => undefined);
      const current = stream;
      confirmedLsn = current?.confirmedLsn() ?? confirmedLsn;
      stream = null;
      await current?.stop();
      // The walsender releases the slot a moment after the connection closes; wait, so a start()
      // right after (or dropping the slot) does not find it active.
      // With the database unreachable there is no walsender to wait for: stop anyway.
      if (current) {
        await withClient((client) => waitForSlotRelease(client, options.slotName)).catch((error: unknown) => {
          if (!(error instanceof DatabaseConnectionError)) throw error;
          logger.warn(
            { ...log, err: error },
            "embedded source: stopped without waiting for the slot's release (source database unreachable)",
          );
        });
      }
      phase = "stopped";
    },
    status() {
      const confirmed = stream?.confirmedLsn() ?? confirmedLsn;
      const reconnecting = phase === "streaming" && stream !== null && stream.reconnecting();
      const lastError = reconnecting ? stream?.lastError() : undefined;
      return {
        phase: reconnecting ? "reconnecting" : phase,
        confirmedLsn: confirmed === null ? null : formatLsn(confirmed),
        lastEventAt,
        applied,
        queued: stream?.queued() ?? 0,
        ...(lastError !== undefined ? { lastError } : {}),
      };
    },
  };
}
