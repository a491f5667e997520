export { ChangeEventError, changeEventSchema, parseChangeEvent, type ChangeEvent, type ChangeOp, type ChangeSource, type RowImage } from "./envelope/debezium-envelope";
export type { BatchResult, EventSink, SourcedEvent } from "./sink/event-sink";
