export {
  createDebeziumCdcStream,
  createReverseDebeziumCdcStream,
  debeziumTopicPrefix,
  type DebeziumCdcStreamOverrides,
  type DebeziumCdcStreamStatus,
} from "./debezium-cdc-stream";
export {
  createKafkaSource,
  type KafkaPartitionPosition,
  type KafkaSource,
  type KafkaSourceDeps,
  type KafkaSourceOptions,
  type KafkaSourceStatus,
} from "./kafka-source";
export { readDebeziumMessage, type DebeziumMessage, type MessageReaderOptions } from "./debezium-message";
export { loadSourceColumnTypes } from "./source-columns";
