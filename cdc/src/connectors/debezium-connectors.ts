import { type MigrationConfig, type ServiceConfig, tableNameOf } from "@strangler/migration-config";
import { debeziumTopicPrefix } from "../kafka-source/debezium-cdc-stream";
import { streamSlotName } from "../slots/slot-names";

/** A Kafka Connect connector definition: PUT /connectors/<name>/config takes `config`. */
export interface ConnectorJson {
  name: string;
  config: Record<string, string>;
}

/** One generated connector: which service and direction it serves and the file it is written to. */
export interface GeneratedConnector {
  service: string;
  kind: "forward" | "reverse";
  /** `<service>.json` (forward: legacy → service) or `<service>-reverse.json`. */
  file: string;
  /** Whether the config runs it: the forward one always, the reverse one with `data.reverse: true`. */
  wanted: boolean;
  connector: ConnectorJson;
}

/**
 * Settings that are the same for every connector: what the sink reads (JSON without schemas,
 * decimals and intervals as strings, bytes as base64, a tombstone after a delete, headers as JSON:
 * the key-move header `__debezium.newkey`), and where the database is (placeholders Connect's env
 * config provider resolves: the native stack and docker-compose set them).
 */
const COMMON: Readonly<Record<string, string>> = {
  "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
  "tasks.max": "1",
  "database.hostname": "${env:STRANGLER_CONNECT_PG_HOST}",
  "database.port": "${env:STRANGLER_CONNECT_PG_PORT}",
  "database.user": "${env:STRANGLER_CONNECT_PG_USER}",
  "database.password": "${env:STRANGLER_CONNECT_PG_PASSWORD}",
};
const STREAM: Readonly<Record<string, string>> = {
  "plugin.name": "pgoutput",
  "publication.autocreate.mode": "filtered",
};
const WIRE: Readonly<Record<string, string>> = {
  "skipped.operations": "none",
  "heartbeat.interval.ms": "10000",
  "poll.interval.ms": "100",
  "decimal.handling.mode": "string",
  "interval.handling.mode": "string",
  "binary.handling.mode": "bytes",
  "tombstones.on.delete": "true",
  "header.converter": "org.apache.kafka.connect.json.JsonConverter",
  "header.converter.schemas.enable": "false",
  "key.converter": "org.apache.kafka.connect.json.JsonConverter",
  "key.converter.schemas.enable": "false",
  "value.converter": "org.apache.kafka.connect.json.JsonConverter",
  "value.converter.schemas.enable": "false",
};

/** Debezium's table filters are regular expressions over `schema.table`: a name is matched literally. */
const literal = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|,;:]/g, "\\$&");

/** `schema.table` as a Debezium filter that matches exactly that table (case kept). */
export function debeziumTableFilter(table: string): string {
  const { schema, name } = tableNameOf(table);
  return `${literal(schema)}\\.${literal(name)}`;
}

/** The database name of a postgresql:// URL (its path). */
function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

type Tables = NonNullable<ServiceConfig["data"]>["tables"];

/** The streamed tables and their key columns on one side (forward: the legacy tables; reverse: the service tables). */
function sideTables(tables: Tables, forward: boolean): Array<{ table: string; key: string[] | null }> {
  return tables.map((t) => ({
    table: forward ? t.source : t.target,
    key: t.key ? (forward ? Object.keys(t.key) : Object.values(t.key)) : null,
  }));
}

function connectorFor(
  config: MigrationConfig,
  service: ServiceConfig & { data: NonNullable<ServiceConfig["data"]> },
  forward: boolean,
): ConnectorJson {
  const kind = forward ? "forward" : "reverse";
  const tables = sideTables(service.data.tables, forward);
  const keyed = tables.filter((t): t is { table: string; key: string[] } => t.key !== null);
  const slot = streamSlotName(service.name, "debezium", kind);
  return {
    name: forward ? `strangler-${service.name}` : `strangler-${service.name}-reverse`,
    config: {
      ...COMMON,
      "database.dbname": databaseName(forward ? (config.legacy.database as string) : service.data.database),
      "topic.prefix": debeziumTopicPrefix(config, service.name, kind),
      "table.include.list": tables.map((t) => debeziumTableFilter(t.table)).join(","),
      // The config's key columns (several for a composite key; a unique index when the table has no primary key): the Kafka key, so one row's events share a partition.
      ...(keyed.length > 0
        ? { "message.key.columns": keyed.map((t) => `${debeziumTableFilter(t.table)}:${t.key.join(",")}`).join(";") }
        : {}),
      ...STREAM,
      "slot.name": slot,
      "publication.name": slot,
      "replica.identity.autoset.values": tables.map((t) => `${debeziumTableFilter(t.table)}:FULL`).join(","),
      // The reverse stream starts when the service already holds the forward stream's copy.
      "snapshot.mode": forward ? "initial" : "no_data",
      ...WIRE,
    },
  };
}

/**
 * The Debezium connectors of a migration config, built from its `data` sections alone: per service
 * with data, the forward connector (legacy database, the mapped source tables) and the reverse one
 * (service database, the target tables; wanted only with `data.reverse: true`, listed so a stack
 * can retire it). Names, tables, key columns, slot, publication and topic prefix follow the config.
 */
export function debeziumConnectors(config: MigrationConfig): GeneratedConnector[] {
  const out: GeneratedConnector[] = [];
  for (const service of config.services) {
    if (!service.data || !config.legacy.database) continue;
    const withData = { ...service, data: service.data };
    out.push({
      service: service.name,
      kind: "forward",
      file: `${service.name}.json`,
      wanted: true,
      connector: connectorFor(config, withData, true),
    });
    out.push({
      service: service.name,
      kind: "reverse",
      file: `${service.name}-reverse.json`,
      wanted: service.data.reverse,
      connector: connectorFor(config, withData, false),
    });
  }
  return out;
}

/** A connector as its file holds it: two-space JSON and a final newline. */
export function connectorFileText(connector: ConnectorJson): string {
  return `${JSON.stringify(connector, null, 2)}\n`;
}
