import path from "node:path";
import type { StackConfig } from "../config/stack-config";
import { componentLogFile, componentPidFile } from "../config/stack-paths";
import { KAFKA_LISTEN_ADDRESS, KAFKA_STOP_GRACE } from "../defaults";
import { removePidFile, writePidFile } from "../process/pid-file";
import { assertPortFree } from "../process/port-check";
import { terminateProcessGroup } from "../process/process-state";
import type { Component, ComponentStatus } from "../stack/component";
import { type ProgressListener, trackStep } from "../stack/progress";
import { runningJava } from "./java-component";
import { ensureKafkaJars } from "./kafka-jars";
import { kafkaAnswers } from "./kafka-probe";
import { BROKER_MAIN_CLASS, startBroker } from "./kafka-runtime";
import { NOT_DEBEZIUM_NOTE, notUsedDetail, stackMigration, usesDebezium } from "./kafka-transport";

const NAME = "kafka";

/** <home>/kafka: server.properties, cluster-id and the data directory. */
export function kafkaStateDir(config: StackConfig): string {
  return path.join(config.home, NAME);
}

/** Jars from the cache, fetched on first use with progress notes (≈60 MB from Maven Central). */
export async function stackKafkaJars(config: StackConfig, label: string, progress: ProgressListener): Promise<string> {
  const jars = await ensureKafkaJars(config.repoRoot, {
    env: config.childEnv,
    onFetch: () =>
      progress({ kind: "note", label, message: "fetching Kafka/Debezium jars from Maven Central (first run only)…" }),
  });
  if (jars.fetched) {
    progress({
      kind: "note",
      label,
      message: `fetched ${jars.jarCount} jars (${(jars.totalBytes / 1024 / 1024).toFixed(0)} MB) into ${path.dirname(jars.libDir)}`,
    });
  }
  return jars.libDir;
}

async function startKafka(config: StackConfig, progress: ProgressListener): Promise<"started" | "already running"> {
  const pidFile = componentPidFile(config.home, NAME);
  const stateDir = kafkaStateDir(config);
  const running = runningJava(pidFile, BROKER_MAIN_CLASS, stateDir);
  if (running.pid !== null) return "already running";
  if (running.stalePid !== null) {
    removePidFile(pidFile);
    progress({
      kind: "note",
      label: NAME,
      message: `removed a stale pid file (pid ${running.stalePid} is not the broker)`,
    });
  }
  await assertPortFree({
    component: NAME,
    host: KAFKA_LISTEN_ADDRESS,
    port: config.kafkaPort,
    variable: "STRANGLER_KAFKA_PORT",
  });
  await assertPortFree({
    component: NAME,
    host: KAFKA_LISTEN_ADDRESS,
    port: config.kafkaControllerPort,
    variable: "STRANGLER_KAFKA_CONTROLLER_PORT",
  });
  const libDir = await stackKafkaJars(config, NAME, progress);
  const broker = await startBroker({
    repoRoot: config.repoRoot,
    libDir,
    stateDir,
    logFile: componentLogFile(config.home, NAME),
    env: config.childEnv,
    brokerPort: config.kafkaPort,
    controllerPort: config.kafkaControllerPort,
    onSpawn: (pid) => writePidFile(pidFile, pid),
  }).catch((error: unknown) => {
    removePidFile(pidFile);
    throw error;
  });
  writePidFile(pidFile, broker.pid);
  return "started";
}

/** The single-node KRaft broker (broker + controller) on 127.0.0.1, started only when cdc.transport is "debezium". */
export function createKafkaComponent(config: StackConfig): Component {
  const pidFile = componentPidFile(config.home, NAME);
  return {
    name: NAME,
    async start(progress) {
      if (!usesDebezium(stackMigration(config))) {
        progress({ kind: "note", label: NAME, message: NOT_DEBEZIUM_NOTE });
        return "skipped";
      }
      return trackStep(progress, NAME, "starting", () => startKafka(config, progress));
    },
    async stop() {
      const running = runningJava(pidFile, BROKER_MAIN_CLASS, kafkaStateDir(config));
      const outcome = running.pid === null ? "not running" : await terminateProcessGroup(running.pid, KAFKA_STOP_GRACE);
      removePidFile(pidFile);
      return outcome;
    },
    async status(): Promise<ComponentStatus> {
      const url = `${KAFKA_LISTEN_ADDRESS}:${config.kafkaPort}`;
      const log = componentLogFile(config.home, NAME);
      const running = runningJava(pidFile, BROKER_MAIN_CLASS, kafkaStateDir(config));
      if (running.pid === null) {
        const detail = running.stalePid !== null ? "stale pid file" : notUsedDetail(config);
        return { url, pid: null, healthy: false, log, state: "stopped", ...(detail ? { detail } : {}) };
      }
      const healthy = await kafkaAnswers(KAFKA_LISTEN_ADDRESS, config.kafkaPort, 1_500);
      return { url, pid: running.pid, healthy, log, state: "running", ...(healthy ? {} : { detail: "not answering" }) };
    },
  };
}
