// Scratch databases for bench:parity (bench-scratch.ts): a monolith database and a users-service
// database migrated like the example's, and an empty toolkit database for the parity run store;
// the copy's slot, publication and origins and the databases are removed afterwards.
import type { Client } from "pg";
import { createBenchScratch, withBenchClient } from "./bench-scratch";

export const BENCH_LEGACY_DB = "bench_parity_monolith";
export const BENCH_SERVICE_DB = "bench_parity_users";
export const BENCH_TOOLKIT_DB = "bench_parity_toolkit";
export const BENCH_SLOT = "bench_parity_slot";
export const BENCH_PUBLICATION = "bench_parity_pub";
/** Every replication origin the bench's sink uses starts with this. */
export const BENCH_ORIGIN_PREFIX = "strangler_bench_parity";

export interface ParityScratch {
  /** A superuser URL of the server (its `postgres` database). */
  adminUrl: string;
  legacyUrl: string;
  serviceUrl: string;
  toolkitUrl: string;
  /** How PostgreSQL was found: "started" (the bench stops it again), "already running" or "reachable" (external). */
  postgres: string;
  /** Drops the slot, origins and databases; stops PostgreSQL if the bench started it. Never throws. */
  cleanup(): Promise<string[]>;
}

/** Runs `work` on a connection of its own to `url`. */
export const withClient = <T>(url: string, work: (client: Client) => Promise<T>): Promise<T> =>
  withBenchClient(url, work, "strangler-bench-parity-admin");

/** Drops the copy's slot and publication as soon as the copy is done (a slot left behind retains WAL). */
export async function dropCopyStream(adminUrl: string, legacyUrl: string): Promise<void> {
  await withBenchClient(adminUrl, async (client) => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const slot = await client.query<{ active_pid: number | null }>(
        "SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1",
        [BENCH_SLOT],
      );
      const row = slot.rows[0];
      if (!row) break;
      if (row.active_pid === null) await client.query("SELECT pg_drop_replication_slot($1)", [BENCH_SLOT]);
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  await withBenchClient(legacyUrl, (client) => client.query(`DROP PUBLICATION IF EXISTS ${BENCH_PUBLICATION}`));
}

export async function createParityScratch(progress: (text: string) => void): Promise<ParityScratch> {
  const scratch = await createBenchScratch(
    {
      applicationName: "strangler-bench-parity-admin",
      databases: [
        { name: BENCH_LEGACY_DB, like: "monolith" },
        { name: BENCH_SERVICE_DB, like: "users_service" },
        { name: BENCH_TOOLKIT_DB },
      ],
      slot: BENCH_SLOT,
      originPrefix: BENCH_ORIGIN_PREFIX,
    },
    progress,
  );
  return {
    adminUrl: scratch.adminUrl,
    legacyUrl: scratch.urls[BENCH_LEGACY_DB] as string,
    serviceUrl: scratch.urls[BENCH_SERVICE_DB] as string,
    toolkitUrl: scratch.urls[BENCH_TOOLKIT_DB] as string,
    postgres: scratch.postgres,
    cleanup: scratch.cleanup,
  };
}
