/** Defaults of the migration-plan tools and the `strangler` CLI, in one place. Times in milliseconds unless named `…Seconds`. */

/** `flags set --timeout`: how long to wait for the proxy to report the new flag state. */
export const DEFAULT_CONFIRM_TIMEOUT_SECONDS = 10;
/** Pause between two reads of the proxy's routing table while waiting for a confirmation. */
export const PROXY_POLL_INTERVAL = 200;
/** Timeout of one request to the proxy's admin API. */
export const PROXY_REQUEST_TIMEOUT = 2_000;
