import type { MigrationConfig, ServiceConfig } from "@strangler/migration-config";
import type { CdcStreamStatusDocument } from "@strangler/ops-contract";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { DatabaseConnectionError } from "../embedded-source/database-url";
import { createEmbeddedSource } from "../embedded-source/embedded-source";
import type { BatchResult, EventSink, SourcedEvent } from "../sink/event-sink";
import type { RowMapper } from "../mapping/row-mapper";
import { createSink } from "../sink/create-sink";
import { cdcReverseSlotName, cdcSlotName } from "../slots/slot-names";
import { isTransientError } from "../sink/transient-error";
import { createStreamCounters } from "./stream-counters";
import { loadStreamMappings } from "./stream-mappings";
import { createStreamModeSwitch, type StreamMode, type StreamModeSwitch } from "./stream-mode";

/** What `/status` reports per stream: the operations contract's stream document (lag, position, counters). */
export type CdcStreamStatus = CdcStreamStatusDocument;

export interface CdcStream {
  readonly direction: string;
  /** Creates publication and slot if needed, snapshots on first run, then streams; resolves once streaming. */
  start(): Promise<void>;
  /** Stops the source cleanly (slot kept for the next start) and closes the sink's pool; a stopped stream does not start again. */
  stop(): Promise<void>;
  /**
   * apply (the default) or watch: read by each batch as it starts; resolves once no batch of the old
   * mode is in flight (ADR 0019). Before start() it sets the mode the stream starts in.
   */
  setMode(mode: StreamMode): Promise<void>;
  status(): CdcStreamStatus;
}

export interface CdcStreamOverrides {
  /** Default `strangler_<service>` (non-alphanumerics as `_`), `strangler_<service>_reverse` for the reverse stream. */
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

// The names live with the other toolkit slot names (the CLI and the stack use them too).
export { cdcReverseSlotName, cdcSlotName } from "../slots/slot-names";
export type { StreamMode } from "./stream-mode";

/** "monolith-to-users-service". */
export function forwardDirection(config: MigrationConfig, serviceName: string): string {
  return `${config.legacy.name}-to-${serviceName}`;
}

/** "users-service-to-monolith". */
export function reverseDirection(config: MigrationConfig, serviceName: string): string {
  return `${serviceName}-to-${config.legacy.name}`;
}

/** The services of the config that declare `data`, i.e. that have a CDC stream. */
export function servicesWithData(
  config: MigrationConfig,
): Array<ServiceConfig & { data: NonNullable<ServiceConfig["data"]> }> {
  return config.services.flatMap((service) => (service.data ? [{ ...service, data: service.data }] : []));
}

/**
 * Hands each committed batch to `onResult` (the stream's counters for `/status`: dead letters, lag),
 * and names the target database (password redacted) in a transient failure, which the source retries.
 */
export function countingSink(
  sink: EventSink,
  targetUrl: string,
  onResult: (result: BatchResult, batch: readonly SourcedEvent[]) => void,
  mode?: StreamModeSwitch,
): EventSink {
  return {
    async applyBatch(batch: readonly SourcedEvent[]) {
      let result: BatchResult;
      try {
        result = await (mode ? mode.run(() => sink.applyBatch(batch)) : sink.applyBatch(batch));
      } catch (error) {
        throw isTransientError(error)
          ? new DatabaseConnectionError("target", targetUrl, error, "could not write to")
          : error;
      }
      onResult(result, batch);
      return result;
    },
    close: () => sink.close(),
  };
}

/** Forward: legacy → service with the forward mappings; reverse: service → legacy with the inverse ones. */
export type CdcStreamKind = "forward" | "reverse";

/**
 * The default stream of a service: legacy.database → (embedded pgoutput source) → forward mapping →
 * (idempotent sink) → the service's data.database.
 */
export function createCdcStream(
  config: MigrationConfig,
  serviceName: string,
  deps: CdcStreamDeps,
  overrides: CdcStreamOverrides = {},
): CdcStream {
  return buildCdcStream(config, serviceName, "forward", deps, overrides);
}

/**
 * The reverse stream of a service (`data.reverse: true`): the service's data.database (the mapped
 * target tables) → (embedded pgoutput source, slot `strangler_<service>_reverse`) → inverse mapping →
 * (idempotent sink under its own replication origin) → legacy.database. Columns the inverse does not
 * map (e.g. user_profiles.version) are ignored.
 */
export function createReverseCdcStream(
  config: MigrationConfig,
  serviceName: string,
  deps: CdcStreamDeps,
  overrides: CdcStreamOverrides = {},
): CdcStream {
  return buildCdcStream(config, serviceName, "reverse", deps, overrides);
}

/** Both ends of one stream of a service, whatever carries its events (embedded source or Debezium). */
export interface StreamEnds {
  forward: boolean;
  direction: string;
  tables: NonNullable<ServiceConfig["data"]>["tables"];
  sourceUrl: string;
  targetUrl: string;
}

/** Resolves a service's stream ends from the migration config; `what` names the caller in errors. */
export function resolveStreamEnds(
  config: MigrationConfig,
  serviceName: string,
  kind: CdcStreamKind,
  what: string,
): StreamEnds {
  const service = config.services.find((s) => s.name === serviceName);
  if (!service) throw new Error(`${what}: no service "${serviceName}" in the migration config`);
  if (!service.data) throw new Error(`${what}: service "${serviceName}" has no data section (nothing to stream)`);
  if (!config.legacy.database) throw new Error(`${what}: legacy.database is not set in the migration config`);
  const forward = kind === "forward";
  const direction = forward ? forwardDirection(config, serviceName) : reverseDirection(config, serviceName);
  const [sourceUrl, targetUrl] = forward
    ? [config.legacy.database, service.data.database]
    : [service.data.database, config.legacy.database];
  return { forward, direction, tables: service.data.tables, sourceUrl, targetUrl };
}

/**
 * The stream's sink: the mapping (or its inverse) into the target database, under the direction's
 * replication origin, in the mode `mode` says at each batch. `mappings` starts empty: the stream
 * fills it at start from the catalogs (loadStreamMappings), which also check every name of the data section.
 */
export function createStreamSink(
  ends: StreamEnds,
  logger: Logger,
  deps: CdcStreamDeps,
  overrides: Pick<CdcStreamOverrides, "replicationOrigin">,
  mappings: Map<string, RowMapper>,
  mode?: StreamModeSwitch,
): ReturnType<typeof createSink> {
  return createSink(
    {
      targetUrl: ends.targetUrl,
      mappings,
      direction: ends.direction,
      ...(mode ? { mode: () => mode.current } : {}),
      ...(overrides.replicationOrigin !== undefined ? { replicationOrigin: overrides.replicationOrigin } : {}),
    },
    { logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) },
  );
}

function buildCdcStream(
  config: MigrationConfig,
  serviceName: string,
  kind: CdcStreamKind,
  deps: CdcStreamDeps,
  overrides: CdcStreamOverrides,
): CdcStream {
  const ends = resolveStreamEnds(
    config,
    serviceName,
    kind,
    kind === "forward" ? "createCdcStream" : "createReverseCdcStream",
  );
  const { forward, direction, tables, sourceUrl, targetUrl } = ends;
  const logger = deps.logger.child({ direction });
  const mappings = new Map<string, RowMapper>();
  const mode = createStreamModeSwitch();
  const sink = createStreamSink(ends, logger, deps, overrides, mappings, mode);
  const counters = createStreamCounters();
  const counted = countingSink(sink, targetUrl, (result, batch) => counters.record(result, batch), mode);
  const slotName = overrides.slotName ?? (forward ? cdcSlotName(serviceName) : cdcReverseSlotName(serviceName));
  const source = createEmbeddedSource(
    {
      sourceUrl,
      tables: [...new Set(tables.map((table) => (forward ? table.source : table.target)))],
      slotName,
      publicationName: overrides.publicationName ?? slotName,
      ...(overrides.batchSize !== undefined ? { batchSize: overrides.batchSize } : {}),
      ...(overrides.heartbeatMs !== undefined ? { heartbeatMs: overrides.heartbeatMs } : {}),
    },
    { sink: counted, logger },
  );

  let lastError: string | undefined;
  return {
    direction,
    async start() {
      try {
        await loadStreamMappings(config, serviceName, forward, mappings);
        await source.start();
        lastError = undefined;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        throw error;
      }
    },
    stop: stopSourceThenSink(source, sink),
    setMode: (next) => mode.set(next),
    status: () => {
      const current = source.status();
      const error = current.lastError ?? lastError;
      const { lastError: _sourceError, ...reported } = current;
      return {
        direction,
        transport: "embedded",
        ...reported,
        deadLettered: counters.deadLettered,
        lagSeconds: counters.lagSeconds,
        ...modeFields(mode, counters),
        ...(error !== undefined ? { lastError: error } : {}),
      };
    },
  };
}

/** The mode fields of a stream's /status: its mode and the violations it read in watch mode. */
export function modeFields(
  mode: StreamModeSwitch,
  counters: { violations: number; lastViolationAt: number | null },
): { mode: StreamMode; violations: number; lastViolationAt: number | null } {
  return { mode: mode.current, violations: counters.violations, lastViolationAt: counters.lastViolationAt };
}

/** A stream's stop(): the source first (its in-flight batch settles), then the sink's pool, closed once. */
export function stopSourceThenSink(
  source: { stop(): Promise<void> },
  sink: { close(): Promise<void> },
): () => Promise<void> {
  let closed = false;
  return async () => {
    try {
      await source.stop();
    } finally {
      if (!closed) {
        closed = true;
        await sink.close();
      }
    }
  };
}
