import type { MigrationConfig, ServiceConfig } from "@strangler/migration-config";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { createEmbeddedSource, type EmbeddedSourceStatus } from "../embedded-source/embedded-source";
import type { BatchResult, EventSink, SourcedEvent } from "../sink/event-sink";
import { compileMappers } from "../mapping/compile-table-mapping";
import { createSink } from "../sink/create-sink";

/** What `/status` reports per stream. */
export interface CdcStreamStatus extends EmbeddedSourceStatus {
  /** "monolith-to-users-service". */
  direction: string;
  /** Events the sink wrote to its dead-letter table since start(). */
  deadLettered: number;
}

export interface CdcStream {
  readonly direction: string;
  /** Creates publication and slot if needed, snapshots on first run, then streams; resolves once streaming. */
  start(): Promise<void>;
  /** Stops the source cleanly (slot kept for the next start) and closes the sink's pool. */
  stop(): Promise<void>;
  status(): CdcStreamStatus;
}

export interface CdcStreamOverrides {
  /** Default `strangler_<service>` (non-alphanumerics as `_`). */
  slotName?: string;
  /** Default the slot name. */
  publicationName?: string;
  /** Default the sink's own (`strangler_sink_<direction>`). */
  replicationOrigin?: string;
  batchSize?: number;
  heartbeatMs?: number;
}

export interface CdcStreamDeps {
  logger: Logger;
  /** Shared registry for the sinks' series (one per process); a new one per sink when absent. */
  metrics?: Registry;
}

/** `strangler_users_service` for "users-service": the slot and publication of the service's forward stream. */
export function cdcSlotName(serviceName: string): string {
  return `strangler_${serviceName.toLowerCase().replace(/[^a-z0-9_]/g, "_")}`;
}

/** "monolith-to-users-service". */
export function forwardDirection(config: MigrationConfig, serviceName: string): string {
  return `${config.legacy.name}-to-${serviceName}`;
}

/** The services of the config that declare `data`, i.e. that have a CDC stream. */
export function servicesWithData(config: MigrationConfig): Array<ServiceConfig & { data: NonNullable<ServiceConfig["data"]> }> {
  return config.services.flatMap((service) => (service.data ? [{ ...service, data: service.data }] : []));
}

/** Counts the dead letters of the batches that pass through, for `/status`. */
function countingSink(sink: EventSink, onResult: (result: BatchResult) => void): EventSink {
  return {
    async applyBatch(batch: readonly SourcedEvent[]) {
      const result = await sink.applyBatch(batch);
      onResult(result);
      return result;
    },
    close: () => sink.close(),
  };
}

/**
 * The default stream of a service: legacy.database → (embedded pgoutput source) → forward mapping →
 * (idempotent sink) → the service's data.database.
 */
export function createCdcStream(config: MigrationConfig, serviceName: string, deps: CdcStreamDeps, overrides: CdcStreamOverrides = {}): CdcStream {
  const service = config.services.find((s) => s.name === serviceName);
  if (!service) throw new Error(`createCdcStream: no service "${serviceName}" in the migration config`);
  if (!service.data) throw new Error(`createCdcStream: service "${serviceName}" has no data section (nothing to stream)`);
  if (!config.legacy.database) throw new Error("createCdcStream: legacy.database is not set in the migration config");
  const direction = forwardDirection(config, serviceName);
  const logger = deps.logger.child({ direction });
  const { tables } = service.data;

  const sink = createSink(
    {
      targetUrl: service.data.database,
      mappings: compileMappers(tables, "forward"),
      direction,
      ...(overrides.replicationOrigin !== undefined ? { replicationOrigin: overrides.replicationOrigin } : {}),
    },
    { logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) },
  );
  let deadLettered = 0;
  const counted = countingSink(sink, (result) => (deadLettered += result.deadLettered));
  const slotName = overrides.slotName ?? cdcSlotName(serviceName);
  const source = createEmbeddedSource(
    {
      sourceUrl: config.legacy.database,
      tables: [...new Set(tables.map((table) => table.source))],
      slotName,
      publicationName: overrides.publicationName ?? slotName,
      ...(overrides.batchSize !== undefined ? { batchSize: overrides.batchSize } : {}),
      ...(overrides.heartbeatMs !== undefined ? { heartbeatMs: overrides.heartbeatMs } : {}),
    },
    { sink: counted, logger },
  );

  let closed = false;
  return {
    direction,
    start: () => source.start(),
    async stop() {
      try {
        await source.stop();
      } finally {
        if (!closed) {
          closed = true;
          await sink.close();
        }
      }
    },
    status: () => ({ direction, ...source.status(), deadLettered }),
  };
}
