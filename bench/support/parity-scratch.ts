// Scratch databases for bench:parity on the project's own PostgreSQL (or STRANGLER_PG_URL), started
// through the stack code like the demo: a monolith database and a users-service database migrated
// with the apps' own migrate commands (the `monolith` / `users_service` databases are never
// touched) and an empty toolkit database for the parity run store. Everything the bench created —
// slot, publication, replication origins, databases — is removed again, also after a failure.
// PostgreSQL is stopped at the end only if the bench started it.
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

export const BENCH_LEGACY_DB = "bench_parity_monolith";
export const BENCH_SERVICE_DB = "bench_parity_users";
export const BENCH_TOOLKIT_DB = "bench_parity_toolkit";
export const BENCH_SLOT = "bench_parity_slot";
export const BENCH_PUBLICATION = "bench_parity_pub";
/** Every replication origin the bench's sink uses starts with this. */
export const BENCH_ORIGIN_PREFIX = "strangler_bench_parity";
const DATABASES = [BENCH_LEGACY_DB, BENCH_SERVICE_DB, BENCH_TOOLKIT_DB];

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

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: "strangler-bench-parity-admin" });
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
  await withClient(adminUrl, async (client) => {
    // DROP DATABASE refuses while a slot of the database exists.
    for (let attempt = 0; attempt < 50; attempt++) {
      const slots = await client.query<{ slot_name: string; active_pid: number | null }>(
        "SELECT slot_name, active_pid FROM pg_replication_slots WHERE slot_name = $1 OR database = ANY($2)",
        [BENCH_SLOT, DATABASES],
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
      [DATABASES],
    );
    await client.query("SELECT pg_replication_origin_drop(roname) FROM pg_replication_origin WHERE roname LIKE $1", [
      `${BENCH_ORIGIN_PREFIX}%`,
    ]);
    for (const name of DATABASES) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

/** Drops the copy's slot and publication as soon as the copy is done (a slot left behind retains WAL). */
export async function dropCopyStream(adminUrl: string, legacyUrl: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
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
  await withClient(legacyUrl, (client) => client.query(`DROP PUBLICATION IF EXISTS ${BENCH_PUBLICATION}`));
}

export async function createParityScratch(progress: (text: string) => void): Promise<ParityScratch> {
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
    progress(`creating and migrating ${DATABASES.join(", ")}…\n`);
    // The example's schemas: the migrate commands of its monolith and users service.
    const example = templateDatabases(loadStackMigrationConfig(config));
    const migrateOf = (name: string) => example.find((database) => database.name === name)?.migrate;
    await prepareDatabases(config, {
      databases: [
        { name: BENCH_LEGACY_DB, migrate: migrateOf("monolith") },
        { name: BENCH_SERVICE_DB, migrate: migrateOf("users_service") },
        { name: BENCH_TOOLKIT_DB, migrate: undefined },
      ],
    });
    const wal = await withClient(adminUrl, (client) => client.query<{ wal_level: string }>("SHOW wal_level"));
    if (wal.rows[0]?.wal_level !== "logical")
      throw new Error(`wal_level is ${wal.rows[0]?.wal_level ?? "unknown"}, the embedded source needs logical`);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    adminUrl,
    legacyUrl: databaseUrl(adminUrl, BENCH_LEGACY_DB),
    serviceUrl: databaseUrl(adminUrl, BENCH_SERVICE_DB),
    toolkitUrl: databaseUrl(adminUrl, BENCH_TOOLKIT_DB),
    postgres,
    cleanup,
  };
}
