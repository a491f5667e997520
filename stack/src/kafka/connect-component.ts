import path from "node:path";
import type { StackConfig } from "../config/stack-config";
import { componentLogFile, componentPidFile } from "../config/stack-paths";
import { KAFKA_LISTEN_ADDRESS, KAFKA_STOP_GRACE } from "../defaults";
import { removePidFile, writePidFile } from "../process/pid-file";
import { assertPortFree } from "../process/port-check";
import { terminateProcessGroup } from "../process/process-state";
import type { Component, ComponentStatus } from "../stack/component";
import { type ProgressListener, trackStep } from "../stack/progress";
import { connectReady, connectorState, deleteConnector, listConnectors, putConnector } from "./connect-client";
import { runningJava } from "./java-component";
import { stackKafkaJars } from "./kafka-component";
import { CONNECT_MAIN_CLASS, connectRestUrl, startConnectWorker } from "./kafka-runtime";
import { NOT_DEBEZIUM_NOTE, notUsedDetail, connectPgEnv, stackMigration, usesDebezium } from "./kafka-transport";
import { stackConnectors } from "./stack-connectors";

const NAME = "connect";
/** Connect's worker group id, and the prefix of its config, offset and status topics. */
export const STACK_CONNECT_GROUP_ID = "strangler-connect";

function connectStateDir(config: StackConfig): string {
  return path.join(config.home, NAME);
}

async function startWorker(config: StackConfig, progress: ProgressListener): Promise<"started" | "already running"> {
  const pidFile = componentPidFile(config.home, NAME);
  const stateDir = connectStateDir(config);
  const running = runningJava(pidFile, CONNECT_MAIN_CLASS, stateDir);
  if (running.pid !== null) return "already running";
  if (running.stalePid !== null) {
    removePidFile(pidFile);
    progress({ kind: "note", label: NAME, message: `removed a stale pid file (pid ${running.stalePid} is not the Connect worker)` });
  }
  await assertPortFree({ component: NAME, host: KAFKA_LISTEN_ADDRESS, port: config.connectPort, variable: "STRANGLER_CONNECT_PORT" });
  const libDir = await stackKafkaJars(config, NAME, progress);
  const worker = await startConnectWorker({
    repoRoot: config.repoRoot,
    libDir,
    stateDir,
    logFile: componentLogFile(config.home, NAME),
    env: { ...config.childEnv, ...connectPgEnv(config) },
    brokers: `${KAFKA_LISTEN_ADDRESS}:${config.kafkaPort}`,
    restPort: config.connectPort,
    groupId: STACK_CONNECT_GROUP_ID,
    onSpawn: (pid) => writePidFile(pidFile, pid),
  }).catch((error: unknown) => {
    removePidFile(pidFile);
    throw error;
  });
  writePidFile(pidFile, worker.pid);
  return "started";
}

/** PUT every wanted connector (idempotent) and wait until each runs; DELETE the unwanted ones. */
async function registerConnectors(config: StackConfig, progress: ProgressListener): Promise<void> {
  const url = connectRestUrl(config.connectPort);
  const connectors = stackConnectors(config.repoRoot, stackMigration(config));
  for (const connector of connectors.wanted) {
    await trackStep(progress, `connector ${connector.name}`, "registering", async () => {
      await putConnector(url, connector);
      return "running";
    });
  }
  const present = await listConnectors(url);
  for (const name of connectors.unwanted.filter((name) => present.includes(name))) {
    await trackStep(progress, `connector ${name}`, "deleting", async () => {
      await deleteConnector(url, name);
      return "deleted";
    });
  }
}

async function connectStatus(config: StackConfig): Promise<ComponentStatus> {
  const url = connectRestUrl(config.connectPort);
  const log = componentLogFile(config.home, NAME);
  const running = runningJava(componentPidFile(config.home, NAME), CONNECT_MAIN_CLASS, connectStateDir(config));
  if (running.pid === null) {
    const detail = running.stalePid !== null ? "stale pid file" : notUsedDetail(config);
    return { url, pid: null, healthy: false, log, state: "stopped", ...(detail ? { detail } : {}) };
  }
  if (!(await connectReady(url))) return { url, pid: running.pid, healthy: false, log, state: "running", detail: "not ready" };
  try {
    const states = await Promise.all((await listConnectors(url)).map((name) => connectorState(url, name)));
    const healthy = states.every((state) => state.connector === "RUNNING" && state.tasks.every((task) => task.state === "RUNNING"));
    const described = states.map((state) => `${state.name} ${state.connector}${state.tasks.map((task) => `/task ${task.id} ${task.state}`).join("")}`);
    return { url, pid: running.pid, healthy, log, state: "running", detail: described.length > 0 ? `connectors: ${described.join(", ")}` : "no connectors" };
  } catch {
    return { url, pid: running.pid, healthy: false, log, state: "running", detail: "connector status unavailable" };
  }
}

/**
 * The Kafka Connect distributed worker with Debezium (REST on 127.0.0.1), started only when
 * cdc.transport is "debezium"; starting it also registers the connectors of cdc/connectors.
 */
export function createConnectComponent(config: StackConfig): Component {
  const pidFile = componentPidFile(config.home, NAME);
  return {
    name: NAME,
    async start(progress) {
      if (!usesDebezium(stackMigration(config))) {
        progress({ kind: "note", label: NAME, message: NOT_DEBEZIUM_NOTE });
        return "skipped";
      }
      const outcome = await trackStep(progress, NAME, "starting", () => startWorker(config, progress));
      await registerConnectors(config, progress);
      return outcome;
    },
    async stop() {
      const running = runningJava(pidFile, CONNECT_MAIN_CLASS, connectStateDir(config));
      const outcome = running.pid === null ? "not running" : await terminateProcessGroup(running.pid, KAFKA_STOP_GRACE);
      removePidFile(pidFile);
      return outcome;
    },
    status: () => connectStatus(config),
  };
}
