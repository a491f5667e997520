import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import {
  CONNECT_READY_TIMEOUT,
  KAFKA_BROKER_HEAP,
  KAFKA_CONNECT_HEAP,
  KAFKA_LISTEN_ADDRESS,
  KAFKA_READY_POLL_INTERVAL,
  KAFKA_READY_TIMEOUT,
  KAFKA_STOP_GRACE,
} from "../defaults";
import { StackError, type StackErrorCode } from "../errors/stack-error";
import { fileSize, formatLogTail } from "../process/log-tail";
import { sleep, terminateProcessGroup } from "../process/process-state";
import { connectKafkaClusterId, connectReady } from "./connect-client";
import { type SpawnedJava, runJava, spawnJava } from "./java-process";
import { kafkaAnswers, kafkaClusterIdAt } from "./kafka-probe";
import { brokerProperties, connectProperties, renderProperties } from "./kafka-properties";

/** What both JVMs need: where the jars are and how to run. */
export interface JvmOptions {
  repoRoot: string;
  libDir: string;
  /** Folder with the generated properties and (broker) the data directory; kept across restarts. */
  stateDir: string;
  logFile: string;
  env: NodeJS.ProcessEnv;
  /** Tests: run the JVM under java-guardian.cjs so it dies with the test process. */
  guardian?: boolean;
  /** Called right after the JVM is spawned, before it is ready (the stack writes its pid file here). */
  onSpawn?: (pid: number) => void;
}

export interface BrokerOptions extends JvmOptions {
  brokerPort: number;
  controllerPort: number;
}

export interface ConnectOptions extends JvmOptions {
  /** bootstrap.servers, e.g. 127.0.0.1:49092 */
  brokers: string;
  /** When given, the worker counts as ready only if GET / reports this Kafka cluster (not another test's worker on the port). */
  kafkaClusterId?: string;
  restPort: number;
  /** Connect's worker group id; also the prefix of its three internal topics. */
  groupId: string;
}

export const BROKER_MAIN_CLASS = "kafka.Kafka";
export const CONNECT_MAIN_CLASS = "org.apache.kafka.connect.cli.ConnectDistributed";

/** <stateDir>/data: the broker's log.dirs (also the KRaft metadata log). */
export function brokerDataDir(stateDir: string): string {
  return path.join(stateDir, "data");
}

/**
 * A KRaft cluster id: 16 random bytes, base64url without padding (what `kafka-storage random-uuid`
 * prints). Like Kafka's Uuid.randomUuid(), never one starting with "-", which command lines take
 * for an option (`kafka-storage format -t -x…` fails with "expected one argument").
 */
export function newClusterId(random: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = random().toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

/**
 * Writes server.properties and formats the storage on first start (cluster id kept in
 * <stateDir>/cluster-id); a formatted data directory (meta.properties) is left alone.
 */
export function prepareBrokerStorage(options: BrokerOptions): string {
  fs.mkdirSync(options.stateDir, { recursive: true });
  const propertiesFile = path.join(options.stateDir, "server.properties");
  const dataDir = brokerDataDir(options.stateDir);
  fs.writeFileSync(
    propertiesFile,
    renderProperties(
      "Written by the strangler stack on every start; edit stack/src/kafka/kafka-properties.ts instead.",
      brokerProperties({ ...options, dataDir }),
    ),
  );
  if (fs.existsSync(path.join(dataDir, "meta.properties"))) return propertiesFile;

  const clusterIdFile = path.join(options.stateDir, "cluster-id");
  if (!fs.existsSync(clusterIdFile)) fs.writeFileSync(clusterIdFile, `${newClusterId()}\n`);
  const clusterId = fs.readFileSync(clusterIdFile, "utf8").trim();
  const result = runJava(
    {
      repoRoot: options.repoRoot,
      libDir: options.libDir,
      heap: "-Xmx256m",
      mainClass: "kafka.tools.StorageTool",
      args: ["format", `--cluster-id=${clusterId}`, "-c", propertiesFile, "--ignore-formatted"],
    },
    options.env,
  );
  fs.appendFileSync(options.logFile, result.output);
  if (result.code !== 0) {
    throw new StackError(
      "STACK_KAFKA_FAILED",
      `formatting the Kafka storage in ${dataDir} failed (exit code ${result.code}):\n${result.output.trim().split("\n").slice(-15).join("\n")}`,
    );
  }
  return propertiesFile;
}

/** The cluster id the broker's storage was formatted with (meta.properties); null before the first format. */
export function brokerClusterId(stateDir: string): string | null {
  try {
    const text = fs.readFileSync(path.join(brokerDataDir(stateDir), "meta.properties"), "utf8");
    return /^cluster\.id=(.+)$/m.exec(text)?.[1]?.trim() ?? null;
  } catch {
    return null;
  }
}

async function waitUntilReady(options: {
  spawned: SpawnedJava;
  /** true when ready; throws when what answers is not ours (the JVM is then stopped). */
  ready: () => Promise<boolean>;
  timeoutMs: number;
  what: string;
  code: StackErrorCode;
  logFile: string;
  logStart: number;
}): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const exited = options.spawned.exit();
    if (exited) {
      await terminateProcessGroup(options.spawned.pid, KAFKA_STOP_GRACE);
      throw new StackError(
        options.code,
        `${options.what} ${exited} before it was ready.\n${formatLogTail(options.logFile, options.logStart)}`,
      );
    }
    let ready: boolean;
    try {
      ready = await options.ready();
    } catch (error) {
      await terminateProcessGroup(options.spawned.pid, KAFKA_STOP_GRACE);
      throw error;
    }
    if (ready) return;
    if (Date.now() >= deadline) {
      await terminateProcessGroup(options.spawned.pid, KAFKA_STOP_GRACE);
      throw new StackError(
        options.code,
        `${options.what} was not ready within ${options.timeoutMs / 1000} s; it was stopped.\n${formatLogTail(options.logFile, options.logStart)}`,
        {
          retriable: true,
        },
      );
    }
    await sleep(KAFKA_READY_POLL_INTERVAL);
  }
}

/** Starts the single-node KRaft broker (formatting its storage on first start) and waits until it answers ApiVersions. */
export async function startBroker(options: BrokerOptions): Promise<SpawnedJava> {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const logStart = fileSize(options.logFile);
  const propertiesFile = prepareBrokerStorage(options);
  const spawned = spawnJava(
    {
      repoRoot: options.repoRoot,
      libDir: options.libDir,
      heap: KAFKA_BROKER_HEAP,
      mainClass: BROKER_MAIN_CLASS,
      args: [propertiesFile],
    },
    { logFile: options.logFile, env: options.env, cwd: options.stateDir, guardian: options.guardian },
  );
  options.onSpawn?.(spawned.pid);
  const clusterId = brokerClusterId(options.stateDir);
  await waitUntilReady({
    spawned,
    ready: async () => {
      if (!(await kafkaAnswers(KAFKA_LISTEN_ADDRESS, options.brokerPort, 1_000))) return false;
      // An answer alone may come from another broker on the port: ours reports the id we formatted with.
      const answering = await kafkaClusterIdAt(KAFKA_LISTEN_ADDRESS, options.brokerPort, 2_000);
      if (answering === null || clusterId === null) return answering !== null;
      if (answering !== clusterId) {
        throw new StackError(
          "STACK_KAFKA_FAILED",
          `${KAFKA_LISTEN_ADDRESS}:${options.brokerPort} is served by another Kafka broker (cluster ${answering}, ours is ${clusterId}); ours was stopped.`,
          { retriable: true },
        );
      }
      return true;
    },
    timeoutMs: KAFKA_READY_TIMEOUT,
    what: `Kafka broker on ${KAFKA_LISTEN_ADDRESS}:${options.brokerPort}`,
    code: "STACK_KAFKA_FAILED",
    logFile: options.logFile,
    logStart,
  });
  return spawned;
}

/** Starts the distributed Connect worker and waits until its REST API lists Debezium's PostgresConnector. */
export async function startConnectWorker(options: ConnectOptions): Promise<SpawnedJava> {
  fs.mkdirSync(options.stateDir, { recursive: true });
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const logStart = fileSize(options.logFile);
  const propertiesFile = path.join(options.stateDir, "connect-distributed.properties");
  const properties = connectProperties({
    brokers: options.brokers,
    restPort: options.restPort,
    groupId: options.groupId,
    topicPrefix: options.groupId,
  });
  fs.writeFileSync(
    propertiesFile,
    renderProperties(
      "Written by the strangler stack on every start; edit stack/src/kafka/kafka-properties.ts instead.",
      properties,
    ),
  );
  const spawned = spawnJava(
    {
      repoRoot: options.repoRoot,
      libDir: options.libDir,
      heap: KAFKA_CONNECT_HEAP,
      mainClass: CONNECT_MAIN_CLASS,
      args: [propertiesFile],
    },
    { logFile: options.logFile, env: options.env, cwd: options.stateDir, guardian: options.guardian },
  );
  options.onSpawn?.(spawned.pid);
  const url = connectRestUrl(options.restPort);
  await waitUntilReady({
    spawned,
    ready: async () => {
      if (!(await connectReady(url))) return false;
      if (options.kafkaClusterId === undefined) return true;
      const cluster = await connectKafkaClusterId(url);
      if (cluster !== null && cluster !== options.kafkaClusterId) {
        throw new StackError(
          "STACK_CONNECT_FAILED",
          `${url} is served by a Connect worker of another Kafka cluster (${cluster}, ours is ${options.kafkaClusterId}); ours was stopped.`,
          { retriable: true },
        );
      }
      return cluster !== null;
    },
    timeoutMs: CONNECT_READY_TIMEOUT,
    what: `Kafka Connect worker on ${url}`,
    code: "STACK_CONNECT_FAILED",
    logFile: options.logFile,
    logStart,
  });
  return spawned;
}

/** http://127.0.0.1:<port> */
export function connectRestUrl(port: number): string {
  return `http://${KAFKA_LISTEN_ADDRESS}:${port}`;
}
