import path from "node:path";
import type { StackConfig } from "../config/stack-config";
import { componentLogFile, componentPidFile } from "../config/stack-paths";
import { KAFKA_LISTEN_ADDRESS, KAFKA_STOP_GRACE } from "../defaults";
import { removePidFile, writePidFile } from "../process/pid-file";
import { assertPortFree } from "../process/port-check";
import { terminateProcessGroup } from "../process/process-state";
import type { Component, ComponentStatus } from "../stack/component";
import { type ProgressListener, trackStep } from "../stack/progress";
import { describeError } from "../errors/stack-error";
import { adminDatabaseUrl } from "../postgres/postgres-server-url";
import {
  type ConnectorDefinition,
  connectReady,
  connectorState,
  isOffsetBehindSlot,
  listConnectors,
  putConnector,
  restartWithoutOffsets,
  retireConnector,
} from "./connect-client";
import { connectorSlot, dropConnectorSlot, dropConnectorSlotSql } from "./connector-slot";
import { runningJava } from "./java-component";
import { stackKafkaJars } from "./kafka-component";
import { CONNECT_MAIN_CLASS, connectRestUrl, startConnectWorker } from "./kafka-runtime";
import { NOT_DEBEZIUM_NOTE, notUsedDetail, connectPgEnv, stackMigration, usesDebezium } from "./kafka-transport";
import { type StackConnectors, stackConnectors } from "./stack-connectors";

const NAME = "connect";
/** Connect's worker group id, and the prefix of its config, offset and status topics. */
export const STACK_CONNECT_GROUP_ID = "strangler-connect";

function connectStateDir(config: StackConfig): string {
  return path.join(config.home, NAME);
}

/** Whether this stack's own Connect worker runs (its pid file, in this STRANGLER_HOME): not merely something on its port. */
export function stackConnectRunning(config: StackConfig): boolean {
  return runningJava(componentPidFile(config.home, NAME), CONNECT_MAIN_CLASS, connectStateDir(config)).pid !== null;
}

async function startWorker(config: StackConfig, progress: ProgressListener): Promise<"started" | "already running"> {
  const pidFile = componentPidFile(config.home, NAME);
  const stateDir = connectStateDir(config);
  const running = runningJava(pidFile, CONNECT_MAIN_CLASS, stateDir);
  if (running.pid !== null) return "already running";
  if (running.stalePid !== null) {
    removePidFile(pidFile);
    progress({
      kind: "note",
      label: NAME,
      message: `removed a stale pid file (pid ${running.stalePid} is not the Connect worker)`,
    });
  }
  await assertPortFree({
    component: NAME,
    host: KAFKA_LISTEN_ADDRESS,
    port: config.connectPort,
    variable: "STRANGLER_CONNECT_PORT",
  });
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

/** PUT every wanted connector (idempotent) and wait until each runs; retire the unwanted ones. */
async function registerConnectors(config: StackConfig, progress: ProgressListener): Promise<void> {
  await reconcileConnectors(
    connectRestUrl(config.connectPort),
    stackConnectors(config.repoRoot, stackMigration(config)),
    adminDatabaseUrl(config),
    progress,
  );
}

/**
 * Registers `connectors.wanted` on the worker at `connectUrl`; retires each of `connectors.retired`
 * that it still runs (stop, reset offsets, delete) and drops its slot and publication on the
 * PostgreSQL server of `serverUrl`, with progress.
 */
export async function reconcileConnectors(
  connectUrl: string,
  connectors: StackConnectors,
  serverUrl: string,
  progress: ProgressListener,
): Promise<void> {
  for (const connector of connectors.wanted) {
    await trackStep(progress, `connector ${connector.name}`, "registering", async () => {
      try {
        await putConnector(connectUrl, connector);
        return "running";
      } catch (error) {
        // Its slot was dropped after an older delete that kept the offsets (or by hand): start afresh.
        if (!isOffsetBehindSlot(error)) throw error;
        progress({
          kind: "note",
          label: `connector ${connector.name}`,
          message:
            "its stored position is older than its replication slot (the slot was dropped and made anew): resetting its offsets",
        });
        await restartWithoutOffsets(connectUrl, connector.name);
        return "running (offsets reset)";
      }
    });
  }
  const present = await listConnectors(connectUrl);
  for (const connector of connectors.retired) {
    if (present.includes(connector.name)) {
      await trackStep(progress, `connector ${connector.name}`, "deleting", async () => {
        // Stopped, offsets reset, deleted: registered again later, it starts from its new slot.
        await retireConnector(connectUrl, connector.name);
        return "deleted";
      });
    }
    await dropRetiredSlot(serverUrl, connector, progress);
  }
}

/**
 * A deleted connector's slot would retain WAL forever: drop it and its publication (also when an
 * earlier `up` deleted the connector but could not drop them). Silent when there is nothing to drop.
 */
async function dropRetiredSlot(
  serverUrl: string,
  connector: ConnectorDefinition,
  progress: ProgressListener,
): Promise<void> {
  const slot = connectorSlot(connector);
  if (!slot) return;
  const label = `connector ${connector.name}`;
  try {
    const dropped = await dropConnectorSlot(serverUrl, slot);
    const what = [
      dropped.slot ? `replication slot ${slot.slot}` : "",
      dropped.publication ? `publication ${slot.publication}` : "",
    ].filter(Boolean);
    if (what.length > 0)
      progress({
        kind: "note",
        label,
        message: `dropped ${what.join(" and ")} in ${slot.database} (the connector is no longer wanted; they would retain WAL)`,
      });
  } catch (error) {
    progress({
      kind: "note",
      label,
      message: `warning: could not drop its replication slot: ${describeError(error)}. Drop it by hand in ${slot.database}: ${dropConnectorSlotSql(slot)}`,
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
  if (!(await connectReady(url)))
    return { url, pid: running.pid, healthy: false, log, state: "running", detail: "not ready" };
  try {
    const states = await Promise.all((await listConnectors(url)).map((name) => connectorState(url, name)));
    const healthy = states.every(
      (state) => state.connector === "RUNNING" && state.tasks.every((task) => task.state === "RUNNING"),
    );
    const described = states.map(
      (state) =>
        `${state.name} ${state.connector}${state.tasks.map((task) => `/task ${task.id} ${task.state}`).join("")}`,
    );
    return {
      url,
      pid: running.pid,
      healthy,
      log,
      state: "running",
      detail: described.length > 0 ? `connectors: ${described.join(", ")}` : "no connectors",
    };
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
