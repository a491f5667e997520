import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { MigrationConfig } from "@strangler/migration-config";
import pg from "pg";
import { decommissionCleanup, serviceLegacyTables } from "./cleanup-script";
import { readLegacyCatalog } from "./legacy-catalog";

/**
 * Reads the legacy catalog and writes the decommission's two SQL scripts and its config note for
 * one service into `dir` (named after the service and the time); never runs them. Returns the paths.
 */
export async function writeCleanupScript(config: MigrationConfig, serviceName: string, dir: string): Promise<string[]> {
  const service = config.services.find((s) => s.name === serviceName);
  if (!service) throw new Error(`no service "${serviceName}" in the migration config`);
  const legacyUrl = config.legacy.database;
  if (!legacyUrl) throw new Error("the migration config names no legacy.database to read the catalog of");
  const client = new pg.Client({ connectionString: legacyUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  let catalog;
  try {
    catalog = await readLegacyCatalog(client, serviceLegacyTables(service));
  } finally {
    await client.end().catch(() => undefined);
  }
  const generatedAt = new Date();
  const cleanup = decommissionCleanup(config, serviceName, catalog, generatedAt);
  const stamp = generatedAt.toISOString().replace(/[:.]/g, "-");
  await mkdir(dir, { recursive: true });
  const files = [
    [`${serviceName}-${stamp}.legacy.sql`, cleanup.legacySql],
    [`${serviceName}-${stamp}.service.sql`, cleanup.serviceSql],
    [`${serviceName}-${stamp}.config-removal.yaml`, cleanup.configNote],
  ] as const;
  const written: string[] = [];
  for (const [name, text] of files) {
    const file = path.join(dir, name);
    await writeFile(file, text);
    written.push(file);
  }
  return written;
}
