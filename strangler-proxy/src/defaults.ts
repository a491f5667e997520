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

/** Random bytes drawn at once for W3C trace and span ids (refilled when used up: one syscall per 256 traces). */
export const TRACE_ID_POOL_BYTES = 6_144;
/** Request body bytes kept with a shadowed exchange (an example's request body prefix). */
export const SHADOW_EXAMPLE_BODY_BYTES = 16_384;
/** Idle pooled sockets to a shadow candidate kept per upstream; the shadow concurrency cap bounds the busy ones. */
export const SHADOW_MAX_FREE_SOCKETS = 32;

/** `GET /admin/diff/report` without `since`: the last hour of shadow results. */
export const DIFF_REPORT_DEFAULT_SINCE = "1h";
