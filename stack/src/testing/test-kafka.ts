import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadTestDatabaseUrl } from "../config/stack-config";
import { findRepoRoot } from "../config/repo-root";
import { KAFKA_LISTEN_ADDRESS, KAFKA_STOP_GRACE } from "../defaults";
import { deleteConnector as deleteConnectorRest, putConnector } from "../kafka/connect-client";
import { connectorFilePath, loadConnectorFile } from "../kafka/connector-files";
import type { SpawnedJava } from "../kafka/java-process";
import { ensureKafkaJars } from "../kafka/kafka-jars";
import { connectRestUrl, startBroker, startConnectWorker } from "../kafka/kafka-runtime";
import { withPgClient } from "../postgres/pg-client";
import { isProcessAlive, terminateProcessGroup } from "../process/process-state";
import { freeLoopbackPort } from "./unleash-test-process";

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
  const jars = await ensureKafkaJars(repoRoot);
  removeOrphanDirs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${DIR_PREFIX}${process.pid}-`));
  const { brokerPort, controllerPort, restPort } = await freePorts();
  const brokers = [`${KAFKA_LISTEN_ADDRESS}:${brokerPort}`];
  const connectUrl = connectRestUrl(restPort);
  const env: NodeJS.ProcessEnv = { ...process.env, ...testConnectPgEnv(), ...options.pgEnv };
  const jvm = { repoRoot, libDir: jars.libDir, env, guardian: true };
  let broker: SpawnedJava | null = null;
  let worker: SpawnedJava | null = null;

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
      brokers: brokers.join(","),
      restPort,
      groupId: "strangler-test-connect",
    });
  };
  const stopWorker = async (graceMs: number) => {
    if (worker) await terminateProcessGroup(worker.pid, graceMs);
    worker = null;
  };
  const stop = async () => {
    await stopWorker(KAFKA_STOP_GRACE);
    if (broker) await terminateProcessGroup(broker.pid, KAFKA_STOP_GRACE);
    broker = null;
    process.removeListener("exit", killOnExit);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    broker = await startBroker({ ...jvm, stateDir: path.join(dir, "broker"), logFile: path.join(dir, "broker.log"), brokerPort, controllerPort });
    await startWorker();
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    brokers,
    connectUrl,
    dir,
    async registerConnector(file, overrides) {
      await putConnector(connectUrl, loadConnectorFile(connectorFilePath(repoRoot, file), overrides));
    },
    deleteConnector: (name) => deleteConnectorRest(connectUrl, name),
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

/** Three different free loopback ports (the kernel may hand out the same port twice in a row). */
async function freePorts(): Promise<{ brokerPort: number; controllerPort: number; restPort: number }> {
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await freeLoopbackPort());
  const [brokerPort = 0, controllerPort = 0, restPort = 0] = [...ports];
  return { brokerPort, controllerPort, restPort };
}

/** Drops the (inactive) replication slots of a test database: DROP DATABASE refuses while any exist. */
export async function dropReplicationSlots(databaseName: string, adminUrl: string = loadTestDatabaseUrl()): Promise<void> {
  await withPgClient(adminUrl, (client) =>
    client.query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active", [databaseName]),
  );
}
