/** Defaults of the migration config's proxy section, in one place. Times in milliseconds. */

/** `proxy.timeouts.connectMs`: a new connection to an upstream must be made within this. */
export const PROXY_CONNECT_MS = 1_000;
/** `proxy.timeouts.responseMs`: an upstream must send its response headers within this. */
export const PROXY_RESPONSE_MS = 10_000;
/**
 * `proxy.timeouts.clientHeadersMs`: a client must send a request's whole header block within this
 * (from its first byte, or from the connection for a new one); else 408. Short, so a client that
 * trickles bytes (slowloris) cannot hold a connection for long.
 */
export const PROXY_CLIENT_HEADERS_MS = 10_000;
/** `proxy.timeouts.clientRequestMs`: a client must send a whole request, headers and body, within this; else 408. */
export const PROXY_CLIENT_REQUEST_MS = 30_000;
/** `proxy.timeouts.clientIdleMs`: an idle keep-alive client connection is closed after this (Node's own default). */
export const PROXY_CLIENT_IDLE_MS = 5_000;
/** Upper bound of every proxy timeout (Node's timers take at most 2^31 − 1 ms; an hour is plenty). */
export const PROXY_MAX_TIMEOUT_MS = 3_600_000;
/** Most proxy worker processes `proxy.workers` may ask for. */
export const PROXY_MAX_WORKERS = 64;
/** `cdc.listen.host`: the CDC process's HTTP endpoints (/status, /metrics, …) on loopback by default. */
export const CDC_LISTEN_HOST = "127.0.0.1";
/** `cdc.listen.port`: the CDC process's HTTP port. */
export const CDC_LISTEN_PORT = 4300;
/** `proxy.shadow.maxRequestBodyBytes`: request bodies teed for mirroring (1 MiB). */
export const SHADOW_MAX_REQUEST_BODY_BYTES = 1_048_576;
/** `proxy.shadow.maxResponseBodyBytes`: response bodies captured for comparison, per side (1 MiB). */
export const SHADOW_MAX_RESPONSE_BODY_BYTES = 1_048_576;
/** `proxy.shadow.timeoutMs`: a mirrored call's whole answer must arrive within this. */
export const SHADOW_TIMEOUT_MS = 5_000;
/** `proxy.shadow.concurrency`: mirrored calls in flight per worker. */
export const SHADOW_CONCURRENCY = 64;
/** `proxy.shadow.noiseSample`: share of shadowed reads sent twice to the primary's side. */
export const SHADOW_NOISE_SAMPLE = 0.1;
/** `toolkit.retention.days`. */
export const TOOLKIT_RETENTION_DAYS = 7;
/** `toolkit.retention.examplesPerSignature`. */
export const TOOLKIT_EXAMPLES_PER_SIGNATURE = 5;

/** `services[].plan.canary.reads`: the serve shares (percent) the canary moves the read routes through. */
export const PLAN_CANARY_READ_SHARES: readonly number[] = [1, 10, 50, 100];
/** `plan.gates.shadow.minSample`: compared requests the shadow gate needs before it passes or fails (fewer: hold). */
export const PLAN_SHADOW_MIN_SAMPLE = 200;
/** `plan.gates.shadow.minMatchRate`: the share of compared requests that must match. */
export const PLAN_SHADOW_MIN_MATCH_RATE = 0.999;
/** `plan.gates.canary.minSample`: requests per side (old and new) before the canary's statistics decide (Kayenta: 50). */
export const PLAN_CANARY_MIN_SAMPLE = 50;
/** `plan.gates.canary.confidence`: confidence of the latency and error comparison (Kayenta: 98 %). */
export const PLAN_CANARY_CONFIDENCE = 0.98;
/** `plan.gates.canary.maxErrorRateIncrease`: how much more often (absolute share) the new side may fail. */
export const PLAN_CANARY_MAX_ERROR_RATE_INCREASE = 0.001;
/** `plan.gates.canary.maxLatencyRatio`: how much slower (median ratio) the new side may be. */
export const PLAN_CANARY_MAX_LATENCY_RATIO = 1.2;
/** `plan.gates.cdc.maxLagSeconds`: CDC lag a step that moves traffic or writes tolerates. */
export const PLAN_CDC_MAX_LAG_SECONDS = 5;
/** `plan.gates.parity.maxAgeSeconds`: how recent the last equal data parity run must be. */
export const PLAN_PARITY_MAX_AGE_SECONDS = 3_600;
/** `plan.gates.decommission.evidenceSeconds`: no legacy traffic and no legacy writes for this long before decommission. */
export const PLAN_DECOMMISSION_EVIDENCE_SECONDS = 86_400;
