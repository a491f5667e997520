import path from "node:path";

/** Defaults of the migration-plan tools and the `strangler` CLI, in one place. Times in milliseconds unless named `…Seconds`. */

/** `flags set --timeout`: how long to wait for the proxy to report the new flag state. */
export const DEFAULT_CONFIRM_TIMEOUT_SECONDS = 10;
/** Pause between two reads of the proxy's routing table while waiting for a confirmation. */
export const PROXY_POLL_INTERVAL = 200;
/** Timeout of one request to the proxy's admin API. */
export const PROXY_REQUEST_TIMEOUT = 2_000;
/** Timeout of one request to the CDC process's /status. */
export const CDC_REQUEST_TIMEOUT = 5_000;

/** The config file the CLI picks up from the working directory when neither --config nor STRANGLER_CONFIG says otherwise. */
export const CLI_CONFIG_FILE_NAME = "strangler.config.yaml";
/** The worked example's migration config, shipped beside the CLI: the last resort. */
export const EXAMPLE_CONFIG_PATH = path.join(__dirname, "..", "strangler.config.yaml");
/** The local stack's state folder in a checkout (the stack's STRANGLER_HOME default), and its tokens file below it. */
export const STACK_HOME_DIR = ".strangler";
export const STACK_TOKENS_FILE = path.join("secrets", "tokens.json");

/** `diff report --since` when not given: the last hour of shadow results. */
export const DIFF_DEFAULT_SINCE = "1h";
/** Difference signatures `diff report` lists per route (the most frequent first); --json has all. */
export const DIFF_TOP_SIGNATURES = 5;
/** Noise fields `diff report` lists per route; --json has all. */
export const DIFF_TOP_NOISE_FIELDS = 10;

/** Data parity: rows fetched per round trip from each side's cursor. Small: each side reads the next batch ahead while one is merged, and batches that outlive a scavenge pile up in V8's old space until a full collection (bench:parity: 5,000 → 212 MB peak RSS at 1 M rows, 1,000 → under 200 MB, at the same speed). */
export const PARITY_FETCH_SIZE = 1_000;
/** Data parity: a table's progress (resume key, counts, differences) is saved after this many rows… */
export const PARITY_CHECKPOINT_ROWS = 50_000;
/** …or this long, whichever comes first. */
export const PARITY_CHECKPOINT_INTERVAL = 5_000;
/** Data parity: differences held for a re-check before one is forced (bounds memory on a very different table). */
export const PARITY_MAX_SUSPECTS = 10_000;
/** Data parity: how long a re-check waits for the CDC stream to apply past the position it read (`--lag-timeout`). */
export const PARITY_LAG_TIMEOUT = 30_000;
/** Data parity: re-checks of a row that keeps changing before it is listed as unsettled. */
export const PARITY_RECHECK_ROUNDS = 3;
/** Data parity: pause between two reads of the CDC process's status while waiting for a position. */
export const PARITY_CDC_POLL_INTERVAL = 200;
/** Data parity: `--mode auto` compares a table by checksums when its legacy side holds at least this many rows (estimated). */
export const PARITY_CHECKSUM_MIN_ROWS = 100_000;
/** Data parity: the folder the differing keys and fix-up scripts go to when --out is not given (one folder per run below it). */
export const PARITY_DEFAULT_OUT_DIR = "strangler-parity";
/** Data parity: progress lines on a terminal at most this often. */
export const PARITY_PROGRESS_INTERVAL = 1_000;

/** `parity http`: the corpus folder next to the migration config when --corpus is not given. */
export const PARITY_CORPUS_DIR = "parity-corpus";
/** `parity http`: cases replayed at once (each sends one request to each side, both at the same time). */
export const PARITY_HTTP_CONCURRENCY = 4;
/** `parity http`: timeout of one request to one side (connect to the end of the answer). */
export const PARITY_HTTP_REQUEST_TIMEOUT = 10_000;
/** `parity http`: an answer larger than this is cut here (and then compared as cut; the comparator reports it). */
export const PARITY_HTTP_MAX_RESPONSE_BYTES = 16 * 1_048_576;
/** `parity http`: a corpus file larger than this is refused (a corpus case is one small request). */
export const PARITY_CORPUS_MAX_FILE_BYTES = 1_048_576;
/**
 * The request headers that mark Strangler's own traffic: the same names as `@strangler/service-kit`'s
 * SHADOW_HEADER / DRY_RUN_HEADER and the proxy's forward-headers.ts (the CLI does not load the
 * service kit, which brings Express; a unit test checks they agree).
 */
export const SHADOW_HEADER = "x-strangler-shadow";
export const DRY_RUN_HEADER = "x-strangler-dry-run";

/** `diff export --since` when not given. */
export const DIFF_EXPORT_DEFAULT_SINCE = "1d";
/** `diff export --limit` when not given: examples written per route. */
export const DIFF_EXPORT_DEFAULT_LIMIT = 50;
/** Data parity, checksum mode: rows per key range at the top level (boundaries read from the legacy side's key). */
export const PARITY_CHECKSUM_RANGE_ROWS = 10_000;
/** Data parity, checksum mode: key ranges whose checksums one statement per side computes at the top level (progress and --resume move per batch's ranges). */
export const PARITY_CHECKSUM_BATCH_RANGES = 50;
/** Data parity, checksum mode: sub-ranges a differing range is split into. */
export const PARITY_CHECKSUM_FANOUT = 16;
/** Data parity, checksum mode: a differing range of at most this many rows (on either side) is compared row by row. */
export const PARITY_CHECKSUM_LEAF_ROWS = 2_000;

/** Decommission cleanup script: lock_timeout of its transaction (dropping a table waits for an exclusive lock; a busy monolith must not queue behind it). */
export const DECOMMISSION_LOCK_TIMEOUT_SECONDS = 5;
/** Walkthrough report: the files `writeWalkthroughReport` writes into its folder (the Markdown links to the HTML by this name). */
export const WALKTHROUGH_REPORT_MARKDOWN_FILE = "report.md";
export const WALKTHROUGH_REPORT_HTML_FILE = "report.html";
/** Walkthrough report: characters of a Markdown sparkline (the timeline is averaged down to this many). */
export const WALKTHROUGH_REPORT_SPARKLINE_WIDTH = 40;
/** Walkthrough report: failed requests listed one by one; the count covers the rest. */
export const WALKTHROUGH_REPORT_MAX_LISTED_FAILURES = 50;
/** `plan auto`: how often a held gate is measured again. */
export const PLAN_AUTO_POLL_INTERVAL = 2_000;
/** The plan waits this long for every proxy replica (and the CDC process) to confirm a flip. */
export const PLAN_CONFIRM_TIMEOUT = 30_000;
/** The write switch: the old writer must be quiet (no write applied by its stream) this long… */
export const PLAN_WRITES_QUIET_WINDOW = 3_000;
/** …within this time, else the switch stays pending (the proxy's response timeout bounds in-flight writes). */
export const PLAN_WRITES_QUIET_TIMEOUT = 60_000;
/** How often the CDC process's status is read while the plan waits on it. */
export const PLAN_CDC_POLL_INTERVAL = 250;
