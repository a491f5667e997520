// Scratch databases for a benchmark on the project's own PostgreSQL (or STRANGLER_PG_URL), started
// through the stack code like the demo: databases created and migrated with the example apps' own
// migrate commands (the `monolith` / `users_service` databases are never touched), and everything
// the bench created — slots, publications, replication origins, databases — removed again, also
// after a failure. PostgreSQL is stopped at the end only if the bench started it.
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

/** What a bench creates: its databases (migrated like one of the example's, or empty), its slot and its origins. */
export interface BenchScratchSpec {
  /** Shown in pg_stat_activity. */
  applicationName: string;
  /** Each scratch database and the example database whose migrate command makes its schema (none: empty). */
  databases: ReadonlyArray<{ name: string; like?: "monolith" | "users_service" }>;
  /** The bench's replication slot (its publication lives in a scratch database and goes with it). */
  slot: string;
  /** Every replication origin the bench's sinks use starts with this. */
  originPrefix: string;
}

export interface BenchScratch {
  /** A superuser URL of the server (its `postgres` database). */
  adminUrl: string;
  /** URL of each scratch database, by name. */
  urls: Record<string, string>;
  /** How PostgreSQL was found: "started" (the bench stops it again), "already running" or "reachable" (external). */
  postgres: string;
  /** Drops slots, origins and databases (publications with them); stops PostgreSQL if the bench started it. Never throws. */
  cleanup(): Promise<string[]>;
}

/** Runs `work` on a connection of its own to `url`. */
export async function withBenchClient<T>(
  url: string,
  work: (client: Client) => Promise<T>,
  applicationName = "strangler-bench-admin",
): Promise<T> {
  const client = new Client({ connectionString: url, application_name: applicationName });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Removes what a previous or the current run left: slots (ending their walsenders first), origins, databases. */
async function dropBenchObjects(adminUrl: string, spec: BenchScratchSpec): Promise<void> {
  const names = spec.databases.map((database) => database.name);
  await withBenchClient(
    adminUrl,
    async (client) => {
      // The bench's slot and any slot of a scratch database: DROP DATABASE refuses while one exists.
      for (let attempt = 0; attempt < 50; attempt++) {
        const slots = await client.query<{ slot_name: string; active_pid: number | null }>(
          "SELECT slot_name, active_pid FROM pg_replication_slots WHERE slot_name = $1 OR database = ANY($2)",
          [spec.slot, names],
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
        [names],
      );
      await client.query("SELECT pg_replication_origin_drop(roname) FROM pg_replication_origin WHERE roname LIKE $1", [
        `${spec.originPrefix}%`,
      ]);
      for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
    spec.applicationName,
  );
}

/** Starts (or finds) PostgreSQL, clears what an earlier run left, creates and migrates the scratch databases. */
export async function createBenchScratch(
  spec: BenchScratchSpec,
  progress: (text: string) => void,
): Promise<BenchScratch> {
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
      await dropBenchObjects(adminUrl, spec);
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
    await dropBenchObjects(adminUrl, spec);
    progress(`creating and migrating ${spec.databases.map((d) => d.name).join(", ")}…\n`);
    const example = templateDatabases(loadStackMigrationConfig(config));
    const migrateOf = (name: string | undefined) =>
      name === undefined ? undefined : example.find((database) => database.name === name)?.migrate;
    await prepareDatabases(config, {
      databases: spec.databases.map((database) => ({ name: database.name, migrate: migrateOf(database.like) })),
    });
    const wal = await withBenchClient(adminUrl, (client) => client.query<{ wal_level: string }>("SHOW wal_level"));
    if (wal.rows[0]?.wal_level !== "logical")
      throw new Error(`wal_level is ${wal.rows[0]?.wal_level ?? "unknown"}, the embedded source needs logical`);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    adminUrl,
    urls: Object.fromEntries(spec.databases.map((database) => [database.name, databaseUrl(adminUrl, database.name)])),
    postgres,
    cleanup,
  };
}
