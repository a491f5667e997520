/** Defaults and limits of the local stack, in one place. Times in milliseconds unless named `…Seconds`. */

/** PostgreSQL port of the developer's stack (`STRANGLER_PG_PORT`); off the usual 5432 on purpose. */
export const DEFAULT_PG_PORT = 54329;
/** Port of the Unleash server (`STRANGLER_UNLEASH_PORT`); Unleash's own default. */
export const DEFAULT_UNLEASH_PORT = 4242;
/** Port the strangler proxy serves traffic on (`STRANGLER_PROXY_PORT`). */
export const DEFAULT_PROXY_PORT = 4100;
/** Port of the proxy's admin API (`STRANGLER_PROXY_ADMIN_PORT`). */
export const DEFAULT_PROXY_ADMIN_PORT = 4199;
/** HTTP port of the CDC process (`STRANGLER_CDC_PORT`): /readyz, /status, /metrics. */
export const DEFAULT_CDC_PORT = 4300;
/** The CDC process listens on loopback only: its /status and /metrics are for this machine. */
export const CDC_LISTEN_ADDRESS = "127.0.0.1";
/** LOG_LEVEL of the CDC process. */
export const CDC_LOG_LEVEL = "info";
/** How long the CDC process may take to get ready: its first run snapshots the source tables. */
export const CDC_READY_TIMEOUT = 120_000;
/** The migration config, relative to the repository root (`STRANGLER_CONFIG`). */
export const DEFAULT_MIGRATION_CONFIG = "migration-plan/strangler.config.yaml";
/** The proxy's entry point, relative to the repository root (`STRANGLER_PROXY_ENTRY`). */
export const DEFAULT_PROXY_ENTRY = "strangler-proxy/src/main.ts";
/** Address the apps listen on (`STRANGLER_HOST`). */
export const DEFAULT_HOST = "127.0.0.1";
/** State folder below the repository root when `STRANGLER_HOME` is not set (git-ignored). */
export const DEFAULT_HOME_DIR = ".strangler";

/**
 * The project-owned cluster listens on loopback only, whatever STRANGLER_HOST says: it uses
 * `trust` authentication and must never be reachable from another machine.
 */
export const PG_LISTEN_ADDRESS = "127.0.0.1";
/** Superuser created by initdb and used by the stack and the apps. */
export const PG_SUPERUSER = "postgres";
/** Operating-system user PostgreSQL runs as when the stack runs as root. */
export const PG_OS_USER = "postgres";
/** Server settings passed with `-c` (logical decoding for CDC). */
export const PG_SERVER_SETTINGS: Readonly<Record<string, string>> = {
  wal_level: "logical",
  max_replication_slots: "10",
  max_wal_senders: "10",
};
/** `pg_ctl start -w -t …`: a cold start takes ≈0.1 s, crash recovery longer. */
export const PG_START_TIMEOUT_SECONDS = 60;
/** `pg_ctl stop -m fast -w -t …`. */
export const PG_STOP_TIMEOUT_SECONDS = 60;
/** After pg_ctl stop reports success, how long the postmaster may take to disappear. */
export const PG_EXIT_WAIT = 5_000;
/** Connection timeout of the stack's own SQL connections (health checks, CREATE DATABASE). */
export const PG_CONNECT_TIMEOUT = 3_000;
/** Unix socket paths longer than this are rejected by the kernel (sun_path is 108 bytes). */
export const MAX_UNIX_SOCKET_PATH = 107;
/** Attempts of CREATE DATABASE … TEMPLATE while another session briefly holds the template. */
export const CREATE_DATABASE_ATTEMPTS = 5;
/** Pause between those attempts. */
export const CREATE_DATABASE_RETRY_DELAY = 200;

/** Port of the PostgreSQL cluster that the jest global setup starts (never the developer's). */
export const TEST_PG_PORT = 54339;
/** State folder of that cluster, below the default home. */
export const TEST_HOME_SUBDIR = "test";

/** How long an app may take from spawn to `GET /readyz` → 200 (tsx compile + Prisma client). */
export const APP_READY_TIMEOUT = 45_000;
/** Pause between readiness probes. */
export const APP_READY_POLL_INTERVAL = 200;
/** Time between SIGTERM and SIGKILL when stopping an app's process group. */
export const APP_STOP_GRACE = 10_000;
/** Timeout of one health or readiness probe. */
export const HTTP_PROBE_TIMEOUT = 1_500;
/** Poll interval while waiting for a process to exit. */
export const PROCESS_EXIT_POLL_INTERVAL = 100;
/** Lines of a component's log shown when it fails to start. */
export const LOG_TAIL_LINES = 25;
/** Bytes read from the end of a log to find those lines. */
export const LOG_TAIL_BYTES = 64 * 1024;

/**
 * Unleash listens on loopback only, whatever STRANGLER_HOST says: its web UI starts with the
 * well-known login admin / unleash4all.
 */
export const UNLEASH_LISTEN_ADDRESS = "127.0.0.1";
/** Unleash's log level (its startup is chatty at info). */
export const UNLEASH_LOG_LEVEL = "warn";
/** The web UI login of a fresh Unleash (open-source authentication), shown by `status`. */
export const UNLEASH_DEFAULT_LOGIN = "admin / unleash4all";
/** From spawn to `GET /health` → 200: ≈4.4 s on a fresh database (it migrates), ≈2.6 s after. */
export const UNLEASH_READY_TIMEOUT = 90_000;
/** The proxy's log level. */
export const PROXY_LOG_LEVEL = "info";
/**
 * How long `restart proxy` waits for the proxy's rolling restart: per worker a start (tsx compile,
 * flags) and a drain (up to the proxy's 10 s grace when a request runs that long).
 */
export const PROXY_RESTART_TIMEOUT = 180_000;
/** Pause between looks at the proxy's restart record. */
export const PROXY_RESTART_POLL_INTERVAL = 200;
/** Random bytes in each generated token secret (hex-encoded: twice as many characters). */
export const TOKEN_SECRET_BYTES = 24;

/** Kafka broker port of the developer's stack (`STRANGLER_KAFKA_PORT`), on 127.0.0.1. */
export const DEFAULT_KAFKA_PORT = 49092;
/** KRaft controller port of that broker (`STRANGLER_KAFKA_CONTROLLER_PORT`), on 127.0.0.1. */
export const DEFAULT_KAFKA_CONTROLLER_PORT = 49093;
/** Kafka Connect REST port (`STRANGLER_CONNECT_PORT`), on 127.0.0.1. */
export const DEFAULT_CONNECT_PORT = 48083;
/** Kafka and Connect listen on loopback only: PLAINTEXT without authentication. */
export const KAFKA_LISTEN_ADDRESS = "127.0.0.1";
/** The jar cache (below the repository's .strangler, shared by the stack and the tests), keyed by the pom's hash. */
export const KAFKA_JARS_DIR = "kafka-jars";
/** The pom that lists the broker, Connect and Debezium jars, relative to the repository root. */
export const KAFKA_POM = "cdc/kafka-connect/pom.xml";
/** log4j2 configuration of both JVMs, relative to the repository root. */
export const KAFKA_LOG4J_CONFIG = "cdc/kafka-connect/log4j2.properties";
/** Connector definitions registered when cdc.transport is "debezium", relative to the repository root. */
export const CONNECTORS_DIR = "cdc/connectors";
/** Oldest Java the broker (Kafka 4) and Debezium 3 run on. */
export const MIN_JAVA_VERSION = 17;
/** How long `mvn dependency:copy-dependencies` may take on a first run (≈60 MB from Maven Central). */
export const KAFKA_JARS_FETCH_TIMEOUT = 600_000;
/** Heap of the broker JVM: one partition per topic, a handful of topics. */
export const KAFKA_BROKER_HEAP = "-Xmx512m";
/** Heap of the Connect worker JVM: two Debezium tasks. */
export const KAFKA_CONNECT_HEAP = "-Xmx512m";
/** From spawn to an answered ApiVersions request: ≈2–5 s warm. */
export const KAFKA_READY_TIMEOUT = 60_000;
/** From spawn to GET /connector-plugins listing the Debezium connector: ≈7 s warm. */
export const CONNECT_READY_TIMEOUT = 90_000;
/** From PUT /connectors/{name}/config to connector and task RUNNING. */
export const CONNECTOR_RUNNING_TIMEOUT = 60_000;
/** Pause between Kafka/Connect readiness probes. */
export const KAFKA_READY_POLL_INTERVAL = 250;
/** Time between SIGTERM and SIGKILL for the broker and the worker (both shut down cleanly in a few seconds). */
export const KAFKA_STOP_GRACE = 15_000;
/** Connect's offset flush interval: short, so a restarted worker repeats little. */
export const CONNECT_OFFSET_FLUSH_INTERVAL = 1_000;
/** Timeout of one Connect REST call. */
export const CONNECT_HTTP_TIMEOUT = 10_000;
/** After DELETE of a connector: how long its task may keep the replication slot before the stack gives up dropping it. */
export const CONNECTOR_SLOT_RELEASE_TIMEOUT = 30_000;
/**
 * When the CDC process starts on one transport, how long the other transport's slot may stay in use
 * before `up` leaves it (with a note): it was released already unless something still reads it.
 */
export const RETIRED_SLOT_RELEASE_TIMEOUT = 5_000;
/** How long a test waits for another process's jar fetch (the lock file) before fetching itself. */
export const KAFKA_JARS_LOCK_TIMEOUT = 900_000;
/** Debezium's PostgreSQL connector class, which GET /connector-plugins must list. */
export const DEBEZIUM_POSTGRES_CONNECTOR = "io.debezium.connector.postgresql.PostgresConnector";

/** A STRANGLER_HOME claim (check and write of owner.json) takes milliseconds; a guard older than this was left by a crash. */
export const HOME_CLAIM_GUARD_STALE_MS = 5_000;
/** How often a claim waiting for another checkout's claim looks again. */
export const HOME_CLAIM_GUARD_POLL_MS = 20;
