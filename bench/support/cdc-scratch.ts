// Scratch databases for bench:cdc on the project's own PostgreSQL (or STRANGLER_PG_URL): started
// through the stack code like the demo, two databases created and migrated with the apps' Prisma
// migrations (the `monolith` / `users_service` databases are never touched), and everything the
// bench created — slot, publication, replication origins, databases — removed again, also after a
// failure. PostgreSQL is stopped at the end only if the bench started it.
import { Client } from "pg";
import {
  adminDatabaseUrl,
  databaseUrl,
  ensurePostgres,
  loadStackConfig,
  loadStackMigrationConfig,
  prepareDatabases,
  stopPostgres,
  type StackConfig,
  templateDatabases,
} from "../../stack/src";

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

async function withAdmin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl, application_name: "strangler-bench-cdc-admin" });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Removes what a previous or the current run left: slot (ending its walsender first), origins, databases. */
async function dropBenchObjects(adminUrl: string): Promise<void> {
  await withAdmin(adminUrl, async (client) => {
    // The embedded slot and the Debezium connector's (any slot of the scratch databases: DROP DATABASE refuses while one exists).
    for (let attempt = 0; attempt < 50; attempt++) {
      const slots = await client.query<{ slot_name: string; active_pid: number | null }>(
        "SELECT slot_name, active_pid FROM pg_replication_slots WHERE slot_name = $1 OR database = ANY($2)",
        [BENCH_SLOT, [BENCH_SOURCE_DB, BENCH_TARGET_DB]],
      );
      if (slots.rows.length === 0) break;
      for (const row of slots.rows) {
        if (row.active_pid !== null) await client.query("SELECT pg_terminate_backend($1)", [row.active_pid]);
        else await client.query("SELECT pg_drop_replication_slot($1)", [row.slot_name]);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Sessions of the scratch databases hold the origins; end them before dropping the origins.
    await client.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()",
      [[BENCH_SOURCE_DB, BENCH_TARGET_DB]],
    );
    await client.query(`SELECT pg_replication_origin_drop(roname) FROM pg_replication_origin WHERE roname LIKE $1`, [
      `${BENCH_ORIGIN_PREFIX}%`,
    ]);
    for (const name of [BENCH_SOURCE_DB, BENCH_TARGET_DB])
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

export async function createCdcScratch(progress: (text: string) => void): Promise<CdcScratch> {
  const config: StackConfig = loadStackConfig();
  const postgres = await ensurePostgres(config);
  progress(`postgres: ${postgres}\n`);
  const adminUrl = adminDatabaseUrl(config);
  let cleaned = false;
  const cleanup = async (): Promise<string[]> => {
    if (cleaned) return [];
    cleaned = true;
    const problems: string[] = [];
    try {
      await dropBenchObjects(adminUrl);
    } catch (error) {
      problems.push(`dropping the scratch objects: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (postgres === "started") {
      try {
        progress(`postgres: ${await stopPostgres(config)} (the bench started it)\n`);
      } catch (error) {
        problems.push(`stopping PostgreSQL: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return problems;
  };
  try {
    await dropBenchObjects(adminUrl);
    progress(`creating and migrating ${BENCH_SOURCE_DB} and ${BENCH_TARGET_DB}…\n`);
    // The example's schemas: the migrate commands of its monolith and users service.
    const example = templateDatabases(loadStackMigrationConfig(config));
    const migrateOf = (name: string) => example.find((database) => database.name === name)?.migrate;
    await prepareDatabases(config, {
      databases: [
        { name: BENCH_SOURCE_DB, migrate: migrateOf("monolith") },
        { name: BENCH_TARGET_DB, migrate: migrateOf("users_service") },
      ],
    });
    const wal = await withAdmin(adminUrl, (client) => client.query<{ wal_level: string }>("SHOW wal_level"));
    if (wal.rows[0]?.wal_level !== "logical")
      throw new Error(`wal_level is ${wal.rows[0]?.wal_level ?? "unknown"}, the embedded source needs logical`);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    sourceUrl: databaseUrl(adminUrl, BENCH_SOURCE_DB),
    targetUrl: databaseUrl(adminUrl, BENCH_TARGET_DB),
    postgres,
    cleanup,
  };
}
