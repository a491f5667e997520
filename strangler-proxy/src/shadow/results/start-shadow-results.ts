import type { MigrationConfig } from "@strangler/migration-config";
import { createPgShadowResultStore } from "@strangler/toolkit-store";
import type { Logger } from "pino";
import { createShadowPipeline, type ShadowPipeline } from "./shadow-pipeline";

/**
 * The shadow results pipeline of a proxy process (or worker): stored in the toolkit database when
 * the config names one (toolkit.database), else only counted in metrics (register pipeline.metrics()).
 */
export function startShadowResults(migration: MigrationConfig, logger: Logger): ShadowPipeline {
  const { database, retention } = migration.toolkit;
  const store =
    database === undefined
      ? undefined
      : createPgShadowResultStore(database, { retention, logger: logger.child({ component: "toolkit-store" }) });
  const pipeline = createShadowPipeline({ migration, store, logger });
  return pipeline;
}
