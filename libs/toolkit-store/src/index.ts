/** The toolkit database: each store an interface, its PostgreSQL implementation and a fake. */
export type {
  DiffReportQuery,
  NoiseDelta,
  ShadowMinuteDelta,
  ShadowResultBatch,
  ShadowResultStore,
} from "./shadow/shadow-result-store";
