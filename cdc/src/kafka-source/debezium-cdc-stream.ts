import { formatTableName, tableNameOf, type MigrationConfig } from "@strangler/migration-config";
import type { DebeziumStreamStatus } from "@strangler/ops-contract";
import { Client } from "pg";
import { connectOrExplain } from "../embedded-source/database-url";
import { ensureReplicaIdentityFull } from "../embedded-source/source-setup";
import { parseSourceTable } from "../embedded-source/source-tables";
import type { RowMapper } from "../mapping/row-mapper";
import { loadStreamMappings } from "../stream/stream-mappings";
import { sinkReplicationOrigin } from "../sink";
import {
  type BinaryHandlingMode,
  compileWireDecoder,
  type DecimalHandlingMode,
  type TimePrecisionMode,
  type WireDecoder,
} from "../mapping/debezium-wire-values";
import {
  type CdcStream,
  type CdcStreamDeps,
  type CdcStreamKind,
  type CdcStreamOverrides,
  countingSink,
  createStreamSink,
  forwardDirection,
  modeFields,
  resolveStreamEnds,
  reverseDirection,
  stopSourceThenSink,
} from "../stream/cdc-stream";
import { createKafkaSource } from "./kafka-source";
import { loadSourceColumnTypes } from "./source-columns";
import { createStreamCounters } from "../stream/stream-counters";
import { createStreamModeSwitch } from "../stream/stream-mode";

export interface DebeziumCdcStreamOverrides extends CdcStreamOverrides {
  /**
   * The connector's `topic.prefix`: topics are `<topicPrefix>.public.<table>`. Default
   * `<cdc.kafka.topicPrefix>.<legacy.name>` forward ("strangler.monolith"),
   * `<cdc.kafka.topicPrefix>.<service, _ for non-alphanumerics>` reverse ("strangler.users_service").
   */
  topicPrefix?: string;
  /** Default `<cdc.kafka.groupId>.<direction>`. */
  groupId?: string;
  /** Replication origins whose changes are echoes; default the other direction's sink origin. */
  echoOrigins?: readonly string[];
  /** How the connector writes temporal values (its `time.precision.mode`); default adaptive, Debezium's default. */
  timePrecisionMode?: TimePrecisionMode;
  /** The connector's `decimal.handling.mode`; default string, as cdc/connectors/*.json set it. */
  decimalHandlingMode?: DecimalHandlingMode;
  /** The connector's `binary.handling.mode`; default bytes (base64 in JSON), Debezium's default. */
  binaryHandlingMode?: BinaryHandlingMode;
}

/** What `/status` reports for a stream on the Debezium transport (the operations contract's document). */
export type DebeziumCdcStreamStatus = DebeziumStreamStatus;

/** Kafka unreachable or its group coordinator not ready yet: the CDC process retries the start (start-retry.ts). */
export class KafkaStartError extends Error {
  readonly code = "CDC_KAFKA_UNAVAILABLE";
  readonly retriable = true;
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = "KafkaStartError";
  }
}

/** REPLICA IDENTITY FULL on the streamed tables of the source database (ensureReplicaIdentityFull). */
async function setReplicaIdentityFull(sourceUrl: string, tables: readonly string[]): Promise<void> {
  const client = new Client({ connectionString: sourceUrl, application_name: "strangler-cdc-replica-identity" });
  client.on("error", () => undefined);
  try {
    await connectOrExplain("source", sourceUrl, () => client.connect());
    await ensureReplicaIdentityFull(client, tables.map(parseSourceTable));
  } finally {
    await client.end().catch(() => undefined);
  }
}

function asStartError(error: unknown, brokers: readonly string[]): unknown {
  if (!(error instanceof Error) || !error.name.startsWith("KafkaJS")) return error;
  return new KafkaStartError(`could not start consuming from Kafka at ${brokers.join(",")}: ${error.message}`, {
    cause: error,
  });
}

const label = (name: string): string => name.replace(/[^A-Za-z0-9_]/g, "_");

/**
 * The topic Debezium publishes a table's changes to: `<prefix>.<schema>.<table>`, case kept
 * (`strangler.monolith.public.User`); Debezium replaces characters a topic name cannot hold with `_`.
 */
export function debeziumTopic(prefix: string, table: string): string {
  const { schema, name } = tableNameOf(table);
  return `${prefix}.${schema}.${name}`.replace(/[^A-Za-z0-9._-]/g, "_");
}

/** "strangler.monolith" forward, "strangler.users_service" reverse: the connectors' topic.prefix. */
export function debeziumTopicPrefix(config: MigrationConfig, serviceName: string, kind: CdcStreamKind): string {
  return `${config.cdc.kafka.topicPrefix}.${label(kind === "forward" ? config.legacy.name : serviceName)}`;
}

/**
 * The forward stream on the Debezium transport: the Debezium connector on legacy.database publishes
 * to Kafka; a kafkajs consumer group reads `<prefix>.public.<table>`, converts Debezium's wire values
 * and applies the events through the same sink as createCdcStream. Same signature as createCdcStream
 * (slotName, publicationName and heartbeatMs belong to the connector here and are ignored).
 */
export function createDebeziumCdcStream(
  config: MigrationConfig,
  serviceName: string,
  deps: CdcStreamDeps,
  overrides: DebeziumCdcStreamOverrides = {},
): CdcStream {
  return buildDebeziumStream(config, serviceName, "forward", deps, overrides);
}

/** The reverse stream on the Debezium transport: the service database's connector → inverse mappings → legacy.database. */
export function createReverseDebeziumCdcStream(
  config: MigrationConfig,
  serviceName: string,
  deps: CdcStreamDeps,
  overrides: DebeziumCdcStreamOverrides = {},
): CdcStream {
  return buildDebeziumStream(config, serviceName, "reverse", deps, overrides);
}

function buildDebeziumStream(
  config: MigrationConfig,
  serviceName: string,
  kind: CdcStreamKind,
  deps: CdcStreamDeps,
  overrides: DebeziumCdcStreamOverrides,
): CdcStream {
  const ends = resolveStreamEnds(
    config,
    serviceName,
    kind,
    kind === "forward" ? "createDebeziumCdcStream" : "createReverseDebeziumCdcStream",
  );
  const { forward, direction, tables, sourceUrl } = ends;
  const opposite = forward ? reverseDirection(config, serviceName) : forwardDirection(config, serviceName);
  const logger = deps.logger.child({ direction, transport: "debezium" });
  const sourceTables = [
    ...new Set(tables.map((table) => formatTableName(tableNameOf(forward ? table.source : table.target)))),
  ];
  const prefix = overrides.topicPrefix ?? debeziumTopicPrefix(config, serviceName, kind);

  const mappings = new Map<string, RowMapper>();
  const mode = createStreamModeSwitch();
  const sink = createStreamSink(ends, logger, deps, overrides, mappings, mode);
  const counters = createStreamCounters();
  const decoders = new Map<string, WireDecoder>();
  const decoderOptions = {
    timePrecisionMode: overrides.timePrecisionMode,
    decimalHandlingMode: overrides.decimalHandlingMode ?? "string",
    binaryHandlingMode: overrides.binaryHandlingMode,
  };
  const loadDecoders = async (tablesToLoad: readonly string[]) => {
    const types = await loadSourceColumnTypes(sourceUrl, tablesToLoad.map(tableNameOf));
    for (const [table, columns] of types) decoders.set(table, compileWireDecoder(columns, decoderOptions));
  };
  // Columns the catalog was already asked about: a column that is still unknown after one reload
  // (dropped again, or not a column of the table) does not cost another catalog query per event.
  const reloadedFor = new Set<string>();
  const source = createKafkaSource(
    {
      brokers: config.cdc.kafka.brokers,
      clientId: `strangler-cdc-${label(direction)}`,
      groupId: overrides.groupId ?? `${config.cdc.kafka.groupId}.${direction}`,
      topics: sourceTables.map((table) => debeziumTopic(prefix, table)),
      ...(overrides.batchSize !== undefined ? { batchSize: overrides.batchSize } : {}),
      reader: { decoders, echoOrigins: new Set(overrides.echoOrigins ?? [sinkReplicationOrigin(opposite)]) },
      async reloadColumnTypes(table, columns) {
        const fresh = columns.filter((column) => !reloadedFor.has(`${table}.${column}`));
        if (fresh.length === 0) return;
        for (const column of fresh) reloadedFor.add(`${table}.${column}`);
        logger.info(
          { table, columns: fresh },
          "events carry columns of unknown type; reloading the table's column types",
        );
        await loadDecoders([table]);
      },
    },
    // A transient failure names the target database (password redacted) in the log and /status.
    { sink: countingSink(sink, ends.targetUrl, (result, batch) => counters.record(result, batch), mode), logger },
  );

  /** Why the last start() failed (the CDC process retries it), until one succeeds; as createCdcStream reports it. */
  let startError: string | undefined;
  return {
    direction,
    async start() {
      try {
        await loadStreamMappings(config, serviceName, forward, mappings);
        // The connector's replica.identity.autoset.values does not reach every name (a mixed-case
        // table without primary key kept DEFAULT and refused deletes): set it here, quoted.
        await setReplicaIdentityFull(sourceUrl, sourceTables);
        await loadDecoders(sourceTables);
        await source.start();
        startError = undefined;
      } catch (error) {
        startError = error instanceof Error ? error.message : String(error);
        throw asStartError(error, config.cdc.kafka.brokers);
      }
    },
    stop: stopSourceThenSink(source, sink),
    setMode: (next) => mode.set(next),
    status: (): DebeziumCdcStreamStatus => {
      const current = source.status();
      const lastError = current.lastError ?? startError;
      const { lastError: _sourceError, ...reported } = current;
      return {
        direction,
        ...reported,
        deadLettered: counters.deadLettered,
        lagSeconds: counters.lagSeconds,
        ...modeFields(mode, counters),
        ...(lastError !== undefined ? { lastError } : {}),
      };
    },
  };
}
