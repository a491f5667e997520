/** The toolkit database: each store an interface, its PostgreSQL implementation and a fake. */
export type {
  DiffReportQuery,
  NoiseDelta,
  ShadowMinuteDelta,
  ShadowResultBatch,
  ShadowResultStore,
} from "./shadow/shadow-result-store";
export { SHADOW_LATENCY_BUCKETS_MS } from "./defaults";
export { ToolkitStoreError, type ToolkitStoreErrorCode } from "./errors/toolkit-store-error";
export { addHistogram, emptyHistogram, latencyBucket, summariseHistogram } from "./latency/latency-histogram";
export { emptyShadowCounts, type ShadowCounts } from "./shadow/shadow-counts";
export {
  createPgShadowResultStore,
  type PgShadowResultStoreOptions,
  type StoreLogger,
} from "./shadow/pg-shadow-result-store";
export { createFakeShadowResultStore, type FakeShadowResultStore } from "./shadow/fake-shadow-result-store";
export { SHADOW_SCHEMA } from "./shadow/shadow-schema";
export type { NewParityRun, ParityCheckpoint, ParityRunStore } from "./parity/parity-run-store";
export type { ParityRunOutcome, StoredParityRun } from "./parity/parity-run-records";
export { PARITY_RUNS_LIMIT } from "./defaults";
export { createPgParityRunStore, type PgParityRunStoreOptions } from "./parity/pg-parity-run-store";
export { createFakeParityRunStore, type FakeParityRunStore } from "./parity/fake-parity-run-store";
export { PARITY_SCHEMA } from "./parity/parity-schema";
export type { NextPlanState, PlanAuditRecord, PlanStore } from "./plan/plan-store";
export { PLAN_AUDIT_LIMIT } from "./defaults";
export { createPgPlanStore, type PgPlanStoreOptions } from "./plan/pg-plan-store";
export { createFakePlanStore, type FakePlanStore } from "./plan/fake-plan-store";
export { PLAN_RUNNER_LOCK, PLAN_SCHEMA } from "./plan/plan-schema";
export type { TrafficMinuteDelta, TrafficReportQuery, TrafficStore } from "./traffic/traffic-store";
export type {
  RouteTrafficReport,
  SideTraffic,
  TrafficMinute,
  TrafficReport,
  TrafficSide,
} from "@strangler/ops-contract";
export { TRAFFIC_LATENCY_BUCKETS_MS, TRAFFIC_SLICE_MS } from "./defaults";
export { createPgTrafficStore, type PgTrafficStoreOptions } from "./traffic/pg-traffic-store";
export { createFakeTrafficStore, type FakeTrafficStore } from "./traffic/fake-traffic-store";
export { TRAFFIC_SCHEMA } from "./traffic/traffic-schema";
