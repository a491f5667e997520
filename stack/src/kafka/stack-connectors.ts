import type { MigrationConfig } from "@strangler/migration-config";
import type { ConnectorDefinition } from "./connect-client";
import { FORWARD_CONNECTOR_FILE, REVERSE_CONNECTOR_FILE, connectorFilePath, loadConnectorFile } from "./connector-files";

/** The topic prefix the connector files are written for (cdc.kafka.topicPrefix's default). */
const FILE_TOPIC_PREFIX = "strangler";

export interface StackConnectors {
  /** Registered (PUT) on every `up`. */
  wanted: ConnectorDefinition[];
  /** Deleted when present: e.g. the reverse connector after data.reverse was turned off. */
  unwanted: string[];
  /** The definitions of `unwanted`, in the same order: their slot and publication are dropped after the DELETE. */
  retired: ConnectorDefinition[];
}

/** "strangler.monolith" → "<topicPrefix>.monolith", so cdc.kafka.topicPrefix decides the topics. */
function withTopicPrefix(connector: ConnectorDefinition, topicPrefix: string): ConnectorDefinition {
  const current = connector.config["topic.prefix"] ?? FILE_TOPIC_PREFIX;
  const suffix = current.startsWith(`${FILE_TOPIC_PREFIX}.`) ? current.slice(FILE_TOPIC_PREFIX.length) : `.${current}`;
  return { ...connector, config: { ...connector.config, "topic.prefix": `${topicPrefix}${suffix}` } };
}

/**
 * The connectors of the worked example from cdc/connectors: the forward one when a service has
 * `data`, the reverse one when its `data.reverse` is true.
 */
export function stackConnectors(repoRoot: string, migration: MigrationConfig): StackConnectors {
  const withData = migration.services.filter((service) => service.data !== undefined);
  const files: Array<{ file: string; wanted: boolean }> = [
    { file: FORWARD_CONNECTOR_FILE, wanted: withData.length > 0 },
    { file: REVERSE_CONNECTOR_FILE, wanted: withData.some((service) => service.data?.reverse === true) },
  ];
  const result: StackConnectors = { wanted: [], unwanted: [], retired: [] };
  for (const { file, wanted } of files) {
    const connector = withTopicPrefix(loadConnectorFile(connectorFilePath(repoRoot, file)), migration.cdc.kafka.topicPrefix);
    if (wanted) result.wanted.push(connector);
    else {
      result.unwanted.push(connector.name);
      result.retired.push(connector);
    }
  }
  return result;
}
