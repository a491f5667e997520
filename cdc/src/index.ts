export {
  ChangeEventError,
  changeEventSchema,
  parseChangeEvent,
  type ChangeEvent,
  type ChangeOp,
  type ChangeSource,
  type RowImage,
} from "./envelope/debezium-envelope";
export type { BatchResult, EventSink, SourcedEvent } from "./sink/event-sink";
export { SINK_BATCH_SIZE } from "./defaults";
export { KAFKA_SINK_BATCH_SIZE } from "./kafka-source/defaults";
export {
  compileForwardMapper,
  compileInverseMapper,
  compileMappers,
  eventTableName,
  type TableMapping,
} from "./mapping/compile-table-mapping";
export { encodeRowKey } from "./mapping/row-key";
export type { MappedRow, RowMapper } from "./mapping/row-mapper";
export { UnappliableEventError } from "./mapping/unappliable-event-error";
export { createSink, type Sink, type SinkDeps, type SinkOptions } from "./sink/create-sink";
export { createSinkMetrics, type SinkMetrics } from "./sink/sink-metrics";
export * from "./embedded-source";
export * from "./slots";
export {
  createCdcStream,
  createReverseCdcStream,
  forwardDirection,
  reverseDirection,
  servicesWithData,
  type CdcStream,
  type CdcStreamDeps,
  type CdcStreamKind,
  type CdcStreamOverrides,
  type CdcStreamStatus,
  type StreamMode,
} from "./stream/cdc-stream";
export { startCdcProcess, type CdcProcess, type CdcProcessDeps, type StreamFactories } from "./process/cdc-process";
export { readDatabaseCatalog, type CatalogTable, type DatabaseCatalog } from "./mapping/database-catalog";
export { resolveTableMappings, type ResolvedTableMapping } from "./mapping/resolve-table-mappings";
export { TableMappingError } from "./mapping/table-mapping-error";
export { KEEP_TEXT_TYPES, TEXT_SESSION_SETTINGS, useTextSession } from "./embedded-source/text-session";
export { formatLsn, parseLsn } from "./embedded-source/lsn";
