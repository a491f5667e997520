import { Client } from "pg";
import { LogicalReplicationService, type Pgoutput } from "pg-logical-replication";
import { EMBEDDED_REOPEN_RETRY } from "../defaults";
import { createRetrier, type RetryPolicy } from "../retry/retrier";
import type { EventSink, SourcedEvent } from "../sink/event-sink";
import { type ChangeDecoder, createChangeDecoder } from "./change-decoder";
import { isTransientError } from "../sink/transient-error";
import { DatabaseConnectionError, connectOrExplain, redactDatabaseUrl } from "./database-url";
import { PGOUTPUT_PROTO_VERSION } from "./defaults";
import type { EmbeddedSourceLogger } from "./embedded-source-logger";
import { type FlowControl, createFlowGate } from "./flow-gate";
import { formatLsn, parseLsn } from "./lsn";
import { OriginFilteredPgoutput } from "./origin-filtered-pgoutput";

export interface ReplicationStreamOptions {
  sourceUrl: string;
  db: string;
  slotName: string;
  publicationName: string;
  consistentLsn: number;
  /** Tables added to the stream later ("schema.table") and the snapshot point of each. */
  addedTables?: ReadonlyMap<string, number>;
  /** The slot's confirmed_flush_lsn when the stream opens. */
  confirmedLsn: number | null;
  batchSize: number;
  batchWindowMs: number;
  heartbeatMs: number;
  /** Messages received but not yet handled at most, before reading pauses (see FlowGate). */
  maxQueued: number;
  sink: EventSink;
  logger: EmbeddedSourceLogger;
  onApplied(count: number): void;
  /** How a failed stream is reopened; default EMBEDDED_REOPEN_RETRY. */
  reopenRetry?: RetryPolicy;
}

export interface ReplicationStream {
  /** Resolves once the server started streaming. */
  start(): Promise<void>;
  /** Hands the buffered events to the sink, acknowledges, closes the replication connection. */
  stop(): Promise<void>;
  /** The highest position acknowledged to the server, null before the first acknowledgement. */
  confirmedLsn(): number | null;
  /**
   * True from a failure until the reopened stream made real progress (the sink committed a batch,
   * the slot's position advanced, or there was nothing to replay): reopening alone is not recovery.
   */
  reconnecting(): boolean;
  /** Why the stream is reconnecting (the source or the sink database, password redacted); undefined otherwise. */
  lastError(): string | undefined;
  /** Messages received and waiting to be handled. */
  queued(): number;
}

/**
 * The replication connection's socket. pg-logical-replication keeps node-postgres' Connection
 * private (`_connection`, whose `stream` is the net.Socket) and has no pause of its own that keeps
 * keepalives in order with the data; pausing the socket is what stops reading.
 */
function socketOf(service: LogicalReplicationService | null): FlowControl | undefined {
  const stream = (service as unknown as { _connection?: { stream?: Partial<FlowControl> } } | null)?._connection
    ?.stream;
  return typeof stream?.pause === "function" && typeof stream.resume === "function"
    ? (stream as FlowControl)
    : undefined;
}

/** The sink failed to apply a batch: a reconnect cause on the target's side, reported as such. */
class SinkBatchError extends Error {
  constructor(readonly failure: unknown) {
    super(failure instanceof Error ? failure.message : String(failure));
    this.name = "SinkBatchError";
  }
}

/** The source's current WAL end (null where it cannot be read, e.g. on a standby). */
async function readWalEnd(sourceUrl: string): Promise<number | null> {
  const client = new Client({ connectionString: sourceUrl });
  client.on("error", () => undefined);
  await connectOrExplain("source", sourceUrl, () => client.connect());
  try {
    const result = await client.query<{ lsn: string }>("SELECT pg_current_wal_flush_lsn()::text AS lsn");
    const lsn = result.rows[0]?.lsn;
    return lsn ? parseLsn(lsn) : null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Streams the slot into the sink. Every message and keepalive goes through one promise chain, in
 * arrival order, so an acknowledgement that advances the slot never overtakes an event that is still
 * buffered. The slot is acknowledged only up to the end of the last transaction the sink has
 * committed; after a failure the stream is re-opened from the slot's confirmed position and the
 * unacknowledged tail replays. Status updates that only repeat the confirmed position go out at
 * once, outside the chain: a sink stalled longer than the server's wal_sender_timeout (with reading
 * paused, the server's keepalive requests are not even read) must not get the connection dropped.
 */
export function createReplicationStream(options: ReplicationStreamOptions): ReplicationStream {
  const { sink, logger } = options;
  const decoder: ChangeDecoder = createChangeDecoder(options.db, options.consistentLsn, options.addedTables);
  let service: LogicalReplicationService | null = null;
  let chain: Promise<void> = Promise.resolve();
  let generation = 0;
  let stopping = false;
  let pending: SourcedEvent[] = [];
  let lastCommitEnd: number | null = null;
  let confirmed: number | null = options.confirmedLsn;
  let windowTimer: NodeJS.Timeout | null = null;
  let heartbeatTimer: NodeJS.Timeout | null = null;
  let restartTimer: NodeJS.Timeout | null = null;
  let live = false;
  /** Failures in a row, for the backoff: starts over only after real progress (see progressed). */
  const retrier = createRetrier(options.reopenRetry ?? EMBEDDED_REOPEN_RETRY);
  /** From a failure until the reopened stream made progress: the stream is reconnecting, for `reason`. */
  let recovering: { reason: string; side: "source" | "sink" } | undefined;

  /**
   * Real progress: the backoff starts over and the stream is no longer reconnecting. After a sink
   * failure only a batch the sink committed counts (the change it failed on is still ahead, so the
   * slot moving over unrelated WAL before it proves nothing); after a source failure the slot moving
   * forward counts too.
   */
  const progressed = (kind: "sink" | "slot"): void => {
    if (recovering === undefined || (recovering.side === "sink" && kind !== "sink")) return;
    retrier.succeeded();
    recovering = undefined;
    logger.info({ slot: options.slotName }, "embedded source: the reopened stream makes progress again");
  };
  // Pauses the current replication socket while too much waits in the chain (a slow sink).
  const gate = createFlowGate(
    { high: options.maxQueued, low: Math.floor(options.maxQueued / 2) },
    { pause: () => socketOf(service)?.pause(), resume: () => socketOf(service)?.resume() },
  );

  /** Runs work after everything received before it; a failure restarts the stream. */
  const enqueue = (work: () => Promise<void>): Promise<void> => {
    const mine = generation;
    gate.enter();
    chain = chain.then(async () => {
      try {
        if (mine === generation) await work();
      } catch (error) {
        fail(mine, error);
      } finally {
        gate.leave();
      }
    });
    return chain;
  };

  /** Tells the server everything before `position` is flushed (confirmed_flush_lsn becomes `position`). */
  const acknowledge = async (position: number, ping = false): Promise<void> => {
    if (!service) return;
    // pg-logical-replication reports the LSN it is given + 1 ("last byte received"); hand it
    // position - 1 so a commit record starting exactly at a keepalive position is not skipped.
    await service.acknowledge(formatLsn(position - 1), ping);
    if (confirmed === null || position > confirmed) {
      confirmed = position;
      // The slot moved forward: real progress (after a source failure).
      progressed("slot");
    }
  };

  /**
   * Repeats the confirmed position to the server now, whatever the chain is waiting for: safe, as
   * `confirmed` only advances after the sink's commit. A paused socket still writes (pause() stops
   * reading only). `ping` asks the server for a keepalive back (see onKeepalive).
   */
  const reportStatus = (ping: boolean): void => {
    if (confirmed === null) return;
    // A write to a connection that just failed: its 'error' event re-opens the stream.
    acknowledge(confirmed, ping).catch(() => undefined);
  };

  const flush = async (): Promise<void> => {
    if (windowTimer) clearTimeout(windowTimer);
    windowTimer = null;
    const batch = pending;
    const ackUpTo = lastCommitEnd;
    pending = [];
    if (batch.length > 0) {
      try {
        await sink.applyBatch(batch);
      } catch (error) {
        throw new SinkBatchError(error);
      }
      progressed("sink");
    }
    if (ackUpTo !== null && (confirmed === null || ackUpTo > confirmed)) await acknowledge(ackUpTo);
    if (batch.length > 0) options.onApplied(batch.length);
  };

  const onData = async (lsn: string, message: Pgoutput.Message): Promise<void> => {
    const decoded = decoder.decode(lsn, message);
    for (const event of decoded.events) pending.push({ event, raw: event });
    if (decoded.commitEndLsn !== null) lastCommitEnd = decoded.commitEndLsn;
    if (pending.length >= options.batchSize) await flush();
    else if (decoded.commitEndLsn !== null && !windowTimer) {
      windowTimer = setTimeout(() => void enqueue(flush), options.batchWindowMs);
    }
  };

  const onKeepalive = async (lsn: string): Promise<void> => {
    const idle = pending.length === 0 && !decoder.inTransaction() && !windowTimer;
    // Idle: everything the server sent up to here is applied, so its position can be confirmed and
    // the WAL behind it released (progress, see acknowledge). Busy: the keepalive was already answered
    // with what is confirmed. An idle keepalive alone is no progress: a reopened stream gets one
    // before it replays the change its sink could not write.
    if (idle && (confirmed === null || parseLsn(lsn) > confirmed)) await acknowledge(parseLsn(lsn));
  };

  const open = async (): Promise<void> => {
    const mine = generation;
    // Reopening: where the WAL ends now. A slot confirmed that far has nothing to replay, so the
    // stream is up again as soon as it streams (an idle source makes no other progress).
    const walEnd = recovering === undefined ? null : await readWalEnd(options.sourceUrl);
    // stop() (or another failure) while that was read: this reopen is no longer wanted.
    if (stopping || mine !== generation) return;
    const current = new LogicalReplicationService(
      { connectionString: options.sourceUrl },
      { acknowledge: { auto: false, timeoutSeconds: 0 } },
    );
    service = current;
    current.on("data", (lsn: string, message: Pgoutput.Message) => void enqueue(() => onData(lsn, message)));
    current.on("heartbeat", (lsn: string, _ts: number, shouldRespond: boolean) => {
      // Answered at once (the server times out a silent client); a failed connection's late keepalive is not.
      if (shouldRespond && current === service) reportStatus(false);
      void enqueue(() => onKeepalive(lsn));
    });
    // Until the server starts streaming, a failure rejects open() instead (the caller decides).
    let started = false;
    current.on("error", (error: Error) => started && fail(mine, error));
    const plugin = new OriginFilteredPgoutput({
      protoVersion: PGOUTPUT_PROTO_VERSION,
      publicationNames: [options.publicationName],
    });
    const startedStreaming = new Promise<void>((resolve) =>
      current.once("start", () => {
        started = true;
        resolve();
      }),
    );
    // 0/0: the server starts at the slot's confirmed position, never past an unacknowledged change.
    const streaming = current.subscribe(plugin, options.slotName, "0/0");
    streaming.then(
      () => started && fail(mine, new Error("replication stream ended")),
      (error: unknown) => started && fail(mine, error),
    );
    try {
      await Promise.race([startedStreaming, streaming.then(() => undefined)]);
    } catch (error) {
      service = null;
      await current.destroy();
      throw isTransientError(error)
        ? new DatabaseConnectionError("source", options.sourceUrl, error, "cannot stream from")
        : error;
    }
    // A socket paused by the gate belonged to the failed connection; this one reads.
    if (gate.paused()) socketOf(current)?.pause();
    live = true;
    if (walEnd !== null && confirmed !== null && confirmed >= walEnd) progressed("slot");
    // Outside the chain: keeps the connection alive while the sink is slow, and the server's keepalive
    // in reply (handled in order, in the chain) confirms its position once the stream is idle.
    heartbeatTimer ??= setInterval(() => reportStatus(true), options.heartbeatMs);
  };

  /** Drops the stream of `failedGeneration` and re-opens it; later reports of the same failure are ignored. */
  const fail = (failedGeneration: number, error: unknown): void => {
    if (stopping || failedGeneration !== generation) return;
    live = false;
    const delay = retrier.failed();
    const source = redactDatabaseUrl(options.sourceUrl);
    const sinkSide = error instanceof SinkBatchError;
    const cause = sinkSide ? error.failure : error;
    const message = cause instanceof Error ? cause.message : String(cause);
    // A DatabaseConnectionError names its database (source or target) already, password redacted.
    const reason =
      cause instanceof DatabaseConnectionError
        ? message
        : sinkSide
          ? `the sink failed: ${message}`
          : `the replication stream from ${source} failed: ${message}`;
    // Once the sink failed, a batch it commits is what ends the recovery, whatever failed since.
    recovering = { reason, side: sinkSide || recovering?.side === "sink" ? "sink" : "source" };
    logger.error(
      {
        err: cause,
        slot: options.slotName,
        database: source,
        failures: retrier.failures(),
        retryInMs: delay,
        side: sinkSide ? "sink" : "source",
      },
      sinkSide
        ? `embedded source: the sink failed (${message}), re-opening the stream from the confirmed position in ${delay} ms`
        : `embedded source: replication stream from ${source} failed, re-opening from the confirmed position in ${delay} ms`,
    );
    generation += 1;
    pending = [];
    lastCommitEnd = null;
    decoder.reset();
    if (windowTimer) clearTimeout(windowTimer);
    windowTimer = null;
    const failed = service;
    service = null;
    void failed?.destroy();
    restartTimer = setTimeout(() => {
      restartTimer = null;
      const reopening = generation;
      if (!stopping) open().catch((error: unknown) => fail(reopening, error));
    }, delay);
  };

  return {
    start: open,
    confirmedLsn: () => confirmed,
    reconnecting: () => !live || recovering !== undefined,
    lastError: () => recovering?.reason,
    queued: () => gate.depth(),
    async stop() {
      if (restartTimer) clearTimeout(restartTimer);
      if (heartbeatTimer) clearInterval(heartbeatTimer);
      heartbeatTimer = null;
      await enqueue(flush);
      stopping = true;
      generation += 1;
      await chain;
      await service?.destroy();
      service = null;
      live = false;
    },
  };
}
