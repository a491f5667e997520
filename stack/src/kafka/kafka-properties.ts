import { CONNECT_OFFSET_FLUSH_INTERVAL, KAFKA_LISTEN_ADDRESS } from "../defaults";

/** A Java .properties file from key/value pairs (values here never contain newlines or backslashes). */
export function renderProperties(header: string, entries: Readonly<Record<string, string | number | boolean>>): string {
  const lines = Object.entries(entries).map(([key, value]) => `${key}=${String(value)}`);
  return `# ${header}\n${lines.join("\n")}\n`;
}

/** Single-node KRaft broker and controller on loopback; internal topics with replication factor 1. */
export function brokerProperties(options: {
  brokerPort: number;
  controllerPort: number;
  dataDir: string;
}): Record<string, string | number | boolean> {
  const host = KAFKA_LISTEN_ADDRESS;
  return {
    "process.roles": "broker,controller",
    "node.id": 1,
    "controller.quorum.voters": `1@${host}:${options.controllerPort}`,
    listeners: `PLAINTEXT://${host}:${options.brokerPort},CONTROLLER://${host}:${options.controllerPort}`,
    "advertised.listeners": `PLAINTEXT://${host}:${options.brokerPort}`,
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "PLAINTEXT",
    "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    "log.dirs": options.dataDir,
    "num.partitions": 1,
    "auto.create.topics.enable": true,
    "offsets.topic.replication.factor": 1,
    "offsets.topic.num.partitions": 1,
    "transaction.state.log.replication.factor": 1,
    "transaction.state.log.min.isr": 1,
    "transaction.state.log.num.partitions": 1,
    "share.coordinator.state.topic.replication.factor": 1,
    "share.coordinator.state.topic.min.isr": 1,
    "group.initial.rebalance.delay.ms": 0,
    // Keep every change until it is deleted by hand: a consumer that falls behind by more than a
    // retention period would otherwise skip the deleted changes without noticing (ADR 0007).
    "log.retention.ms": -1,
    "log.segment.bytes": 16 * 1024 * 1024,
  };
}

/** The distributed Connect worker: REST on loopback, JSON without schemas, ${env:NAME} in connector configs. */
export function connectProperties(options: {
  brokers: string;
  restPort: number;
  groupId: string;
  topicPrefix: string;
}): Record<string, string | number | boolean> {
  const host = KAFKA_LISTEN_ADDRESS;
  return {
    "bootstrap.servers": options.brokers,
    "group.id": options.groupId,
    listeners: `http://${host}:${options.restPort}`,
    "rest.advertised.host.name": host,
    "rest.advertised.port": options.restPort,
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": false,
    "value.converter.schemas.enable": false,
    "config.storage.topic": `${options.topicPrefix}-configs`,
    "offset.storage.topic": `${options.topicPrefix}-offsets`,
    "status.storage.topic": `${options.topicPrefix}-status`,
    "config.storage.replication.factor": 1,
    "offset.storage.replication.factor": 1,
    "offset.storage.partitions": 1,
    "status.storage.replication.factor": 1,
    "status.storage.partitions": 1,
    "offset.flush.interval.ms": CONNECT_OFFSET_FLUSH_INTERVAL,
    // One worker: its connectors have nowhere else to go, so a restarted (or SIGKILLed and restarted)
    // worker takes them back at once instead of waiting up to 5 minutes for a lost member to return.
    "scheduled.rebalance.max.delay.ms": 0,
    "config.providers": "env",
    "config.providers.env.class": "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
    // Debezium sits on the worker's classpath and declares itself in META-INF/services: no scan needed.
    "plugin.discovery": "service_load",
    // Debezium creates its topics itself when the connector asks (topic.creation.* in its config).
    "topic.creation.enable": true,
  };
}
