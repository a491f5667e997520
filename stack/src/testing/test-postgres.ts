import fs from "node:fs";
import path from "node:path";
import { loadStackMigrationConfig } from "../config/migration-config-env";
import { loadTestStackConfig, type StackConfig } from "../config/stack-config";
import { stackPaths } from "../config/stack-paths";
import { isProcessAlive } from "../process/process-state";
import { ensurePostgres, prepareDatabases, stopPostgres } from "../postgres/postgres-component";
import { templateDatabases } from "../postgres/databases";
import { adminDatabaseUrl } from "../postgres/postgres-server-url";
import { dropOrphanTestDatabases } from "./test-database";

/**
 * Two jest runs may share the test cluster (two terminals, two engineers). Each run holds a lease
 * (a file named after its pid) and only the last one out stops the cluster.
 */
function leaseDir(config: StackConfig): string {
  return path.join(stackPaths(config.home).runDir, "jest-leases");
}

function takeLease(config: StackConfig): void {
  fs.mkdirSync(leaseDir(config), { recursive: true });
  fs.writeFileSync(path.join(leaseDir(config), String(process.pid)), "");
}

/** Releases this run's lease; true when no live run holds one any more. */
function releaseLease(config: StackConfig): boolean {
  const dir = leaseDir(config);
  fs.rmSync(path.join(dir, String(process.pid)), { force: true });
  const others = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const live = others.filter((name) => {
    if (isProcessAlive(Number(name))) return true;
    fs.rmSync(path.join(dir, name), { force: true });
    return false;
  });
  return live.length === 0;
}

/**
 * For the jest global setup: starts the test cluster (own home and port; or uses STRANGLER_PG_URL),
 * creates and migrates the template databases (the migration config's databases that have a migrate
 * command, and the stack's own), and returns the admin URL. No connection stays open.
 */
export async function startTestPostgres(): Promise<string> {
  const config = loadTestStackConfig();
  takeLease(config);
  try {
    await ensurePostgres(config);
    await prepareDatabases(config, {
      asTemplates: true,
      databases: templateDatabases(loadStackMigrationConfig(config)),
    });
    const adminUrl = adminDatabaseUrl(config);
    // Only on the project's own test cluster: on a shared server another machine's pids mean nothing.
    if (config.postgres.kind === "managed") await dropOrphanTestDatabases(adminUrl);
    return adminUrl;
  } catch (error) {
    // Jest skips the global teardown when the setup fails; leave nothing running.
    await stopTestPostgres().catch(() => undefined);
    throw error;
  }
}

/** For the jest global teardown: stops the test cluster unless another jest run still uses it. */
export async function stopTestPostgres(): Promise<void> {
  const config = loadTestStackConfig();
  if (releaseLease(config)) await stopPostgres(config);
}
