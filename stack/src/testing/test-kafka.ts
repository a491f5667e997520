import { randomInt } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { loadTestDatabaseUrl } from "../config/stack-config";
import { findRepoRoot } from "../config/repo-root";
import {
  CONNECTOR_SLOT_RELEASE_TIMEOUT,
  KAFKA_LISTEN_ADDRESS,
  KAFKA_READY_POLL_INTERVAL,
  KAFKA_STOP_GRACE,
} from "../defaults";
import { StackError } from "../errors/stack-error";
import {
  deleteConnector as deleteConnectorRest,
  putConnector,
  retireConnector as retireConnectorRest,
} from "../kafka/connect-client";
import { connectorFilePath, loadConnectorFile } from "../kafka/connector-files";
import type { SpawnedJava } from "../kafka/java-process";
import { ensureKafkaJars } from "../kafka/kafka-jars";
import { brokerClusterId, connectRestUrl, startBroker, startConnectWorker } from "../kafka/kafka-runtime";
import { fileSize } from "../process/log-tail";
import { withPgClient } from "../postgres/pg-client";
import { isProcessAlive, sleep, terminateProcessGroup } from "../process/process-state";

/** A broker and a Connect worker of one test file, on free loopback ports, in a temp folder. */
export interface TestKafka {
  /** e.g. ["127.0.0.1:41234"] */
  brokers: string[];
  /** e.g. http://127.0.0.1:41235 */
  connectUrl: string;
  /**
   * PUT a connector file (a bare name from cdc/connectors or an absolute path) with overrides
   * ("name" renames the connector; other keys replace config properties), then wait until RUNNING.
   */
  registerConnector(file: string, overrides: Record<string, string>): Promise<void>;
  /** DELETE the connector; harmless when it does not exist. */
  deleteConnector(name: string): Promise<void>;
  /** Stop the connector, reset its offsets, DELETE it (what the stack does to a connector no longer wanted). */
  retireConnector(name: string): Promise<void>;
  /** SIGKILL the worker's process group (a crash): no shutdown, offsets since the last flush are lost. */
  killConnect(): Promise<void>;
  /** Starts the worker again on the same ports and state (its config/offset/status topics) and waits until it is healthy. */
  restartConnect(): Promise<void>;
  /** Stops the worker, then the broker, and removes their temp folder. */
  stop(): Promise<void>;
  /** The temp folder: broker data, generated properties and the two logs (broker.log, connect.log). */
  dir: string;
}

const DIR_PREFIX = "strangler-kafka-";

/** Removes the temp folders of test processes that died without stop() (their JVMs died with them). */
function removeOrphanDirs(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const pid = Number(new RegExp(`^${DIR_PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (pid && !isProcessAlive(pid)) fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
}

/**
 * For jest's global setup: fetches the jars once before the tests start, with progress on stderr,
 * killing Maven when the run is interrupted (SIGINT/SIGTERM) or dies. Without java or mvn it only
 * prints why: tests that need Kafka then fail with the same message, the others still run.
 */
export async function ensureTestKafkaJars(
  options: { stderr?: NodeJS.WritableStream; env?: NodeJS.ProcessEnv; repoRoot?: string } = {},
): Promise<void> {
  const stderr = options.stderr ?? process.stderr;
  const controller = new AbortController();
  const interrupt = (signal: NodeJS.Signals) => {
    stderr.write(`\n[kafka jars] ${signal}: stopping Maven\n`);
    controller.abort();
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  let ticker: NodeJS.Timeout | undefined;
  const started = Date.now();
  try {
    const jars = await ensureKafkaJars(options.repoRoot ?? findRepoRoot(), {
      env: options.env,
      signal: controller.signal,
      guardian: true,
      onWait: (holder) => stderr.write(`[kafka jars] waiting for pid ${holder}, which is fetching the jars…\n`),
      onFetch: () => {
        stderr.write(
          "[kafka jars] fetching Kafka, Kafka Connect and Debezium from Maven Central (≈60 MB, first run only)…\n",
        );
        ticker = setInterval(
          () => stderr.write(`[kafka jars] still fetching (${Math.round((Date.now() - started) / 1000)} s)…\n`),
          10_000,
        );
      },
    });
    if (jars.fetched)
      stderr.write(
        `[kafka jars] fetched ${jars.jarCount} jars (${(jars.totalBytes / 1024 / 1024).toFixed(0)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s into ${path.dirname(jars.libDir)}\n`,
      );
  } catch (error) {
    if (!(error instanceof StackError) || error.code !== "STACK_BINARY_MISSING") throw error;
    stderr.write(
      `[kafka jars] not fetched; the tests that start Kafka will fail:\n  ${error.message.replace(/\n/g, "\n  ")}\n`,
    );
  } finally {
    clearInterval(ticker);
    process.removeListener("SIGINT", interrupt);
    process.removeListener("SIGTERM", interrupt);
  }
}

/** STRANGLER_CONNECT_PG_* for the connector files, from the jest test PostgreSQL's admin URL. */
export function testConnectPgEnv(adminUrl: string = loadTestDatabaseUrl()): Record<string, string> {
  const url = new URL(adminUrl);
  return {
    STRANGLER_CONNECT_PG_HOST: url.hostname,
    STRANGLER_CONNECT_PG_PORT: url.port || "5432",
    STRANGLER_CONNECT_PG_USER: decodeURIComponent(url.username),
    STRANGLER_CONNECT_PG_PASSWORD: decodeURIComponent(url.password),
  };
}

/**
 * Starts a fresh single-node Kafka broker and a Kafka Connect worker with Debezium for a test
 * (jars from the shared cache, fetched with Maven when missing). Both JVMs run under a guardian
 * that kills them when this process exits; call stop() in afterAll.
 */
export async function startTestKafka(options: { pgEnv?: Record<string, string> } = {}): Promise<TestKafka> {
  const repoRoot = findRepoRoot();
  // Normally fetched by jest's global setup; otherwise fetched here, serialized with other workers by the cache lock.
  const jars = await ensureKafkaJars(repoRoot, { guardian: true });
  removeOrphanDirs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${DIR_PREFIX}${process.pid}-`));
  const env: NodeJS.ProcessEnv = { ...process.env, ...testConnectPgEnv(), ...options.pgEnv };
  const jvm = { repoRoot, libDir: jars.libDir, env, guardian: true };
  let ports = await freePorts();
  let broker: SpawnedJava | null = null;
  let worker: SpawnedJava | null = null;
  let clusterId: string | undefined;

  const killOnExit = () => {
    for (const spawned of [worker, broker]) {
      try {
        if (spawned) process.kill(-spawned.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  process.once("exit", killOnExit);

  const startWorker = async () => {
    worker = await startConnectWorker({
      ...jvm,
      stateDir: path.join(dir, "connect"),
      logFile: path.join(dir, "connect.log"),
      brokers: `${KAFKA_LISTEN_ADDRESS}:${ports.brokerPort}`,
      restPort: ports.restPort,
      groupId: "strangler-test-connect",
      kafkaClusterId: clusterId,
    });
  };
  const stopWorker = async (graceMs: number) => {
    if (worker) await terminateProcessGroup(worker.pid, graceMs);
    worker = null;
  };
  const stopBroker = async () => {
    if (broker) await terminateProcessGroup(broker.pid, KAFKA_STOP_GRACE);
    broker = null;
  };
  const stop = async () => {
    await stopWorker(KAFKA_STOP_GRACE);
    await stopBroker();
    process.removeListener("exit", killOnExit);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  // The ports were free when picked, but nothing holds them until the JVMs bind: another process
  // may take one meanwhile. Then the JVM fails to bind (or finds another test's broker or worker
  // there, which the cluster id tells apart), and we start again on fresh ports and a fresh state.
  for (let attempt = 1; ; attempt += 1) {
    const logStart = {
      broker: fileSize(path.join(dir, "broker.log")),
      connect: fileSize(path.join(dir, "connect.log")),
    };
    try {
      broker = await startBroker({
        ...jvm,
        stateDir: path.join(dir, "broker"),
        logFile: path.join(dir, "broker.log"),
        brokerPort: ports.brokerPort,
        controllerPort: ports.controllerPort,
      });
      clusterId = brokerClusterId(path.join(dir, "broker")) ?? undefined;
      await startWorker();
      break;
    } catch (error) {
      await stopWorker(KAFKA_STOP_GRACE);
      await stopBroker();
      if (
        attempt > TEST_KAFKA_PORT_RETRIES ||
        !lostPortRace(
          error,
          [path.join(dir, "broker.log"), logStart.broker],
          [path.join(dir, "connect.log"), logStart.connect],
        )
      ) {
        await stop();
        throw error;
      }
      for (const state of ["broker", "connect"]) fs.rmSync(path.join(dir, state), { recursive: true, force: true });
      ports = await freePorts();
    }
  }
  const brokers = [`${KAFKA_LISTEN_ADDRESS}:${ports.brokerPort}`];
  const connectUrl = connectRestUrl(ports.restPort);

  return {
    brokers,
    connectUrl,
    dir,
    async registerConnector(file, overrides) {
      await putConnector(connectUrl, loadConnectorFile(connectorFilePath(repoRoot, file), overrides));
    },
    deleteConnector: (name) => deleteConnectorRest(connectUrl, name),
    retireConnector: (name) => retireConnectorRest(connectUrl, name),
    async killConnect() {
      if (worker) process.kill(-worker.pid, "SIGKILL");
      // terminateProcessGroup waits until the group is gone (SIGKILL cannot be ignored).
      await stopWorker(1_000);
    },
    async restartConnect() {
      await stopWorker(KAFKA_STOP_GRACE);
      await startWorker();
    },
    stop,
  };
}

/** How often startTestKafka starts again on fresh ports after losing one of them to another process. */
const TEST_KAFKA_PORT_RETRIES = 2;

/** Whether a start failed because a port was taken: a bind error in a log since the attempt began, or another broker/worker answering there. */
function lostPortRace(error: unknown, ...logs: Array<[string, number]>): boolean {
  if (
    error instanceof StackError &&
    /served by (another Kafka broker|a Connect worker of another Kafka cluster)/.test(error.message)
  )
    return true;
  const bindError = /BindException|Address already in use/;
  return (
    logs.some(([file, from]) => {
      try {
        return bindError.test(fs.readFileSync(file, "utf8").slice(from));
      } catch {
        return false;
      }
    }) ||
    (error instanceof Error && bindError.test(error.message))
  );
}

/**
 * The range of ports a test picks from: below (or above) the kernel's ephemeral range
 * (/proc/sys/net/ipv4/ip_local_port_range), so an outgoing connection never gets one assigned
 * between the pick and the JVM's bind; only an explicit bind (another test's pick) can collide.
 */
export function testPortRange(ephemeral: string | null = readEphemeralRange()): [number, number] {
  const [low = 32768, high = 60999] = (ephemeral ?? "")
    .trim()
    .split(/\s+/)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  if (low > 11_024) return [10_000, low - 1];
  if (high < 64_000) return [high + 1, 65_535];
  return [10_000, 65_535];
}

function readEphemeralRange(): string | null {
  try {
    return fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8");
  } catch {
    return null; // not Linux: the IANA range (49152–65535) is the common default
  }
}

/** Whether 127.0.0.1:port can be bound right now. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen({ host: KAFKA_LISTEN_ADDRESS, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Three different free loopback ports from testPortRange(), picked at random. */
async function freePorts(): Promise<{ brokerPort: number; controllerPort: number; restPort: number }> {
  const [low, high] = testPortRange(process.platform === "linux" ? readEphemeralRange() : "49152 65535");
  const ports = new Set<number>();
  for (let tries = 0; ports.size < 3; tries += 1) {
    if (tries > 200) throw new Error(`no free loopback ports between ${low} and ${high}`);
    const port = low + randomInt(high - low + 1);
    if (!ports.has(port) && (await canBind(port))) ports.add(port);
  }
  const [brokerPort = 0, controllerPort = 0, restPort = 0] = [...ports];
  return { brokerPort, controllerPort, restPort };
}

/**
 * Drops the replication slots of a test database (DROP DATABASE refuses while any exist). A slot
 * still streaming to a connector that is being deleted or stopped is waited for, up to
 * `releaseTimeoutMs`; one still active then is an error naming it (dropping it would fail anyway).
 */
export async function dropReplicationSlots(
  databaseName: string,
  adminUrl: string = loadTestDatabaseUrl(),
  releaseTimeoutMs = CONNECTOR_SLOT_RELEASE_TIMEOUT,
): Promise<void> {
  await withPgClient(adminUrl, async (client) => {
    const deadline = Date.now() + releaseTimeoutMs;
    for (;;) {
      await client.query(
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active",
        [databaseName],
      );
      const active = await client.query<{ slot_name: string; active_pid: number }>(
        "SELECT slot_name, active_pid FROM pg_replication_slots WHERE database = $1",
        [databaseName],
      );
      if (active.rows.length === 0) return;
      if (Date.now() >= deadline) {
        throw new Error(
          `replication slots of ${databaseName} still in use after ${releaseTimeoutMs / 1000} s: ${active.rows.map((row) => `${row.slot_name} (pid ${row.active_pid})`).join(", ")}`,
        );
      }
      await sleep(KAFKA_READY_POLL_INTERVAL);
    }
  });
}
