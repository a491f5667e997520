/** The operations contract: JSON documents Strangler's processes serve each other, typed once (ADR 0013). */
export {
  cdcPlanAppliedSchema,
  cdcStatusSchema,
  cdcStreamStatusSchema,
  debeziumStreamStatusSchema,
  embeddedStreamStatusSchema,
  kafkaPartitionPositionSchema,
  type CdcPlanApplied,
  type CdcStatusDocument,
  type CdcStreamStatusDocument,
  type DebeziumStreamStatus,
  type EmbeddedStreamStatus,
  type KafkaPartitionPosition,
} from "./cdc-status";
export { OpsContractError, type OpsContractErrorCode } from "./ops-contract-error";
export { fieldPath, parseOpsDocument, parseOpsResponse, type OpsDocumentSource } from "./parse-ops-document";
export {
  proxyBackendHealthSchema,
  proxyHealthReportSchema,
  type ProxyBackendHealth,
  type ProxyHealthReport,
} from "./proxy-health-report";
export {
  breakerStateSchema,
  flagSyncSchema,
  proxyFlagViewSchema,
  proxyRouteViewSchema,
  proxyRoutingReportSchema,
  type BreakerState,
  type FlagSync,
  type ProxyFlagView,
  type ProxyRouteView,
  type ProxyRoutingReport,
} from "./proxy-routing-report";
export {
  diffExampleSchema,
  diffReportSchema,
  diffSignatureSchema,
  differenceSchema,
  latencySummarySchema,
  noiseFieldSchema,
  routeDiffReportSchema,
  type DiffDifference,
  type DiffExample,
  type DiffReport,
  type DiffSignature,
  type LatencySummary,
  type NoiseField,
  type RouteDiffReport,
} from "./diff-report";
export { parseDiffSince, type DiffSinceResult } from "./diff-report-since";
export {
  routeTrafficReportSchema,
  sideTrafficSchema,
  trafficMinuteSchema,
  trafficReportSchema,
  trafficSideSchema,
  type RouteTrafficReport,
  type SideTraffic,
  type TrafficMinute,
  type TrafficReport,
  type TrafficSide,
} from "./traffic-report";
export {
  emptyParityCounts,
  parityCountsSchema,
  parityDifferenceSchema,
  parityRunReportSchema,
  parityTableReportSchema,
  type ParityCounts,
  type ParityDifference,
  type ParityRunReport,
  type ParityTableReport,
} from "./parity-report";
export {
  httpParityAnswerSchema,
  httpParityCaseSchema,
  httpParityReportSchema,
  type HttpParityAnswer,
  type HttpParityCase,
  type HttpParityReport,
} from "./http-parity-report";
export {
  gateResultSchema,
  planAuditEntrySchema,
  planStateSchema,
  syncDirectionsSchema,
  tableOwnerSchema,
  type GateResult,
  type PlanAuditEntry,
  type PlanState,
  type SyncDirections,
  type TableOwner,
} from "./plan-state";
