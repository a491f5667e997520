export { createEmbeddedSource } from "./embedded-source";
export type {
  EmbeddedSource,
  EmbeddedSourceDeps,
  EmbeddedSourceOptions,
  EmbeddedSourceStatus,
} from "./embedded-source";
export type { EmbeddedSourceLogger } from "./embedded-source-logger";
export { createRecordingSink, type RecordingSink } from "./testing/recording-sink";
export { runUntilSignal, SHUTDOWN_SIGNALS, type SignalEmitter } from "./run-until-signal";
export { DatabaseConnectionError, redactDatabaseUrl } from "./database-url";
