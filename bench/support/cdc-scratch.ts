// Scratch databases for bench:cdc (bench-scratch.ts): a source migrated like the example's monolith
// and a target like its users service; slot, publication, origins and databases removed afterwards.
import { createBenchScratch } from "./bench-scratch";

export const BENCH_SOURCE_DB = "bench_cdc_src";
export const BENCH_TARGET_DB = "bench_cdc_dst";
export const BENCH_SLOT = "bench_cdc_slot";
export const BENCH_PUBLICATION = "bench_cdc_pub";
/** Every replication origin the bench's sinks use starts with this. */
export const BENCH_ORIGIN_PREFIX = "strangler_bench_cdc";

export interface CdcScratch {
  sourceUrl: string;
  targetUrl: string;
  /** How PostgreSQL was found: "started" (the bench stops it again), "already running" or "reachable" (external). */
  postgres: string;
  /** Drops slot, publication, origins and databases; stops PostgreSQL if the bench started it. Never throws. */
  cleanup(): Promise<string[]>;
}

export async function createCdcScratch(progress: (text: string) => void): Promise<CdcScratch> {
  const scratch = await createBenchScratch(
    {
      applicationName: "strangler-bench-cdc-admin",
      databases: [
        { name: BENCH_SOURCE_DB, like: "monolith" },
        { name: BENCH_TARGET_DB, like: "users_service" },
      ],
      slot: BENCH_SLOT,
      originPrefix: BENCH_ORIGIN_PREFIX,
    },
    progress,
  );
  return {
    sourceUrl: scratch.urls[BENCH_SOURCE_DB] as string,
    targetUrl: scratch.urls[BENCH_TARGET_DB] as string,
    postgres: scratch.postgres,
    cleanup: scratch.cleanup,
  };
}
