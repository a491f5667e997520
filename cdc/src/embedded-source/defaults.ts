/** Events handed to the sink in one applyBatch call, at most (snapshot and streaming). */
export const DEFAULT_BATCH_SIZE = 500;

/**
 * How long a partly filled batch waits for more events before it goes to the sink: short, so a
 * single write reaches the target quickly, long enough to group a burst into one transaction.
 */
export const DEFAULT_BATCH_WINDOW_MS = 20;

/**
 * Every this often, the stream repeats its confirmed position to the server and asks for the
 * server's current one, which an idle stream confirms, so a quiet source (or a busy cluster with
 * quiet tables) does not keep WAL for the slot. Must stay well below the server's
 * wal_sender_timeout (60 s by default): these updates keep the connection alive while the sink is slow.
 */
export const DEFAULT_HEARTBEAT_MS = 10_000;

/** Wait before re-opening the stream after a sink or connection failure (the unacknowledged tail replays). */
export const RESTART_DELAY_MS = 1_000;

/** The wait doubles with each failure in a row (no batch applied in between), up to this. */
export const RESTART_MAX_DELAY_MS = 30_000;

/**
 * Messages received from the replication connection and not yet handled, at most, before the
 * source stops reading (resuming at half): under a burst the backlog stays in the server's WAL, not
 * in memory. Four default batches; a socket read already under way can add up to one read (64 KiB).
 */
export const DEFAULT_MAX_QUEUED_MESSAGES = 2_000;

/** How long stop() and slot drops wait for the walsender to release the slot. */
export const SLOT_RELEASE_TIMEOUT_MS = 10_000;
export const SLOT_RELEASE_POLL_MS = 50;

/** Schema and table in the source database where the source records that its snapshot completed. */
export const STATE_SCHEMA = "strangler_cdc";
export const STATE_TABLE = "source_state";

/** pgoutput protocol version: 1 is enough (no streaming of in-progress transactions). */
export const PGOUTPUT_PROTO_VERSION = 1;
