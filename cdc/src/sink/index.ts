// The sink's public API: cdc/src/index.ts re-exports what the toolkit offers, the transports import from here.
export {
  createSink,
  sinkReplicationOrigin,
  type Sink,
  type SinkDeps,
  type SinkMode,
  type SinkOptions,
} from "./create-sink";
export type { BatchResult, EventSink, SourcedEvent, UndecodableMessage } from "./event-sink";
export { createSinkMetrics, type SinkMetrics } from "./sink-metrics";
