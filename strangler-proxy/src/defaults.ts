/** Defaults and limits of the proxy, in one place. Times in milliseconds unless named `…Seconds`. */

/** Most sockets the proxy opens to one upstream at a time; more requests queue in the agent. */
export const UPSTREAM_MAX_SOCKETS = 512;
/** Idle keep-alive sockets kept per upstream. */
export const UPSTREAM_MAX_FREE_SOCKETS = 128;
/**
 * An idle pooled socket is closed after this long: below the 5 s keep-alive timeout of Node
 * servers, so the proxy does not reuse a socket the upstream is closing at that moment.
 */
export const UPSTREAM_FREE_SOCKET_TIMEOUT = 4_000;
/** How often idle pooled upstream sockets are looked at (their idle time is known to ± this). */
export const UPSTREAM_IDLE_SWEEP_INTERVAL = 250;

/** How long in-flight requests get to finish after SIGTERM (or in a worker being replaced) before connections are cut. */
export const SHUTDOWN_GRACE = 10_000;
/**
 * While draining, a keep-alive connection still idle this long is closed. Not at once: a client may
 * be sending its next request on it at that moment; within this time it gets an answer (with
 * `Connection: close`) instead of a reset.
 */
export const DRAIN_IDLE_CLOSE = 1_000;
/**
 * How often Node's server checks the client header and request timeouts
 * (`proxy.timeouts.clientHeadersMs` / `clientRequestMs`). Node's default of 30 s let a slow client
 * hold a connection up to 30 s past its timeout; a check costs a walk over the connections that
 * are receiving a request.
 */
export const CLIENT_TIMEOUT_CHECK_INTERVAL = 250;

/** A new worker must listen within this (tsx compiles the sources first; it waits up to FLAGS_LOAD_WAIT for its flags). */
export const WORKER_START_TIMEOUT = 30_000;
/** A worker takes traffic once its flags are loaded (Unleash or the backup file), or after this long without. */
export const FLAGS_LOAD_WAIT = 5_000;
/** A draining worker that has not exited this long after its grace is killed. */
export const WORKER_EXIT_MARGIN = 3_000;
/** How long the supervisor waits for a worker's answer (report, health, metrics) before leaving it out. */
export const WORKER_QUERY_TIMEOUT = 2_000;
/** A worker that died is replaced after this long, doubling while replacements fail, up to WORKER_RESPAWN_MAX_DELAY. */
export const WORKER_RESPAWN_DELAY = 1_000;
export const WORKER_RESPAWN_MAX_DELAY = 30_000;

/** Shortest accepted admin bearer token (`STRANGLER_PROXY_ADMIN_TOKEN`). */
export const ADMIN_TOKEN_MIN_LENGTH = 16;

/** Timeout of one fetch of the flag definitions from Unleash. */
export const UNLEASH_FETCH_TIMEOUT = 5_000;
/** A repeating error (Unleash unreachable, malformed requests) is logged at most once per this interval per kind. */
export const REPEATED_LOG_INTERVAL = 30_000;
/** Folder below the OS temp folder for the unleash-client backup file (`STRANGLER_PROXY_BACKUP_DIR`). */
export const DEFAULT_BACKUP_SUBDIR = "strangler-proxy";

/** Identity values (user id, session id) longer than this are ignored: they only feed stickiness. */
export const MAX_IDENTITY_LENGTH = 256;
/** Bearer tokens longer than this are not decoded for a user id claim. */
export const MAX_JWT_LENGTH = 8_192;

/** Buckets of the request duration histogram, in seconds. */
export const DURATION_BUCKETS_SECONDS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** Log lines are written once this many characters wait… */
export const LOG_FLUSH_CHARS = 64 * 1024;
/** …or at least this often. */
export const LOG_FLUSH_INTERVAL = 200;
/** Past this many waiting characters (stdout not keeping up), log lines are dropped and counted. */
export const LOG_MAX_PENDING_CHARS = 16 * 1024 * 1024;

/** Shadow exchanges waiting to be compared, per process; past it a new one is dropped (counted as skipped `dropped`). */
export const SHADOW_COMPARE_QUEUE_MAX = 1_000;
/** Body bytes (both sides and the noise sample) waiting to be compared, per process; past it likewise dropped. */
export const SHADOW_COMPARE_QUEUE_MAX_BYTES = 64 * 1024 * 1024;
/** Exchanges compared per turn of the event loop: small, so a burst of comparisons never holds up requests. */
export const SHADOW_COMPARE_BATCH = 16;
/** Shadow results are written to the toolkit database this often (one batch per interval). */
export const SHADOW_RESULTS_FLUSH_INTERVAL = 1_000;
/** Batches kept while the toolkit database is down (≈5 minutes at one per second); older ones are dropped and counted. */
export const SHADOW_RESULTS_BACKLOG_MAX = 300;
/** How often the learnt noise is read back from the store (what the other replicas learnt). */
export const SHADOW_NOISE_REFRESH_INTERVAL = 60_000;
/** How often results older than toolkit.retention.days are pruned. */
export const SHADOW_PRUNE_INTERVAL = 3_600_000;
/** A field is noise only once this many noise samples (two answers of the same side) of its route compared it. */
export const SHADOW_NOISE_MIN_SAMPLE = 20;
/** Field paths whose noise is tracked per route; differences on further paths are never noise. */
export const SHADOW_NOISE_MAX_PATHS_PER_ROUTE = 500;
/** Distinct mismatch signatures counted per route and minute by one process; further ones are counted under OTHER_SIGNATURE. */
export const SHADOW_MAX_SIGNATURES_PER_ROUTE_MINUTE = 100;
/** Examples taken per route, signature and minute by one process (the store caps them per route and signature). */
export const SHADOW_EXAMPLES_PER_SIGNATURE_MINUTE = 2;
/** Characters of a body kept in an example. */
export const SHADOW_EXAMPLE_BODY_CHARS = 16_384;

/** Random bytes drawn at once for W3C trace and span ids (refilled when used up: one syscall per 256 traces). */
export const TRACE_ID_POOL_BYTES = 6_144;
/** Request body bytes kept with a shadowed exchange (an example's request body prefix). */
export const SHADOW_EXAMPLE_BODY_BYTES = 16_384;
/** Idle pooled sockets to a shadow candidate kept per upstream; the shadow concurrency cap bounds the busy ones. */
export const SHADOW_MAX_FREE_SOCKETS = 32;

/** `GET /admin/diff/report` without `since`: the last hour of shadow results. */
export const DIFF_REPORT_DEFAULT_SINCE = "1h";

/** Served traffic (requests, errors, latency per route, side and minute) is written to the toolkit database this often. */
export const TRAFFIC_FLUSH_INTERVAL = 5_000;
/** Served-traffic batches kept while the toolkit database is down (≈5 minutes at one per interval); older ones are dropped and counted. */
export const TRAFFIC_BACKLOG_MAX = 60;
/** How often served traffic older than toolkit.retention.days is pruned. */
export const TRAFFIC_PRUNE_INTERVAL = 3_600_000;
/** Connections of a process's served-traffic store: it writes one batch at a time. */
export const TRAFFIC_STORE_POOL_SIZE = 1;
