export {
  connectorFileText,
  debeziumConnectors,
  debeziumTableFilter,
  type ConnectorJson,
  type GeneratedConnector,
} from "./debezium-connectors";
