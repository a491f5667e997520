import type { MigrationConfig } from "@strangler/migration-config";
import { createPgTrafficStore } from "@strangler/toolkit-store";
import type { Logger } from "pino";
import { TRAFFIC_STORE_POOL_SIZE } from "../defaults";
import { createTrafficRecorder } from "./traffic-recorder";
import { DISCARDING_TRAFFIC_SINK, type TrafficSink } from "./traffic-sink";

/** A traffic sink a process closes on shutdown (after the drain, so the last requests are written). */
export interface ClosableTrafficSink extends TrafficSink {
  close(): Promise<void>;
}

/**
 * The served-traffic recorder of a proxy process (or worker): written to the toolkit database when
 * the config names one (toolkit.database), else nothing is counted (the Prometheus metrics still are).
 */
export function startTrafficRecorder(migration: MigrationConfig, logger: Logger): ClosableTrafficSink {
  const { database, retention } = migration.toolkit;
  if (database === undefined) return { ...DISCARDING_TRAFFIC_SINK, close: async () => undefined };
  const store = createPgTrafficStore(database, {
    logger: logger.child({ component: "toolkit-store" }),
    poolSize: TRAFFIC_STORE_POOL_SIZE,
  });
  return createTrafficRecorder({ store, retentionDays: retention.days, logger });
}
