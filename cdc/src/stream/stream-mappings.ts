import type { MigrationConfig } from "@strangler/migration-config";
import { Client } from "pg";
import { connectOrExplain } from "../embedded-source/database-url";
import { compileMappers } from "../mapping/compile-table-mapping";
import { readDatabaseCatalog, type DatabaseCatalog } from "../mapping/database-catalog";
import { resolveTableMappings, type ResolvedTableMapping } from "../mapping/resolve-table-mappings";
import type { RowMapper } from "../mapping/row-mapper";
import { TableMappingError } from "../mapping/table-mapping-error";

async function catalogOf(role: string, url: string, label: string): Promise<DatabaseCatalog> {
  const client = new Client({ connectionString: url, application_name: "strangler-cdc-catalog" });
  client.on("error", () => undefined);
  try {
    await connectOrExplain(role, url, () => client.connect());
    return await readDatabaseCatalog(client, label);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The service's table mappings checked against the legacy and the service database (names, keys,
 * copy-all columns: resolveTableMappings); throws TableMappingError naming each problem's config
 * path, or DatabaseConnectionError (retriable) when a database cannot be reached.
 */
export async function resolveServiceTables(
  config: MigrationConfig,
  serviceName: string,
  forward = true,
): Promise<ResolvedTableMapping[]> {
  const index = config.services.findIndex((s) => s.name === serviceName);
  const data = config.services[index]?.data;
  if (!data || !config.legacy.database)
    throw new Error(`service "${serviceName}" has no data section or legacy.database is not set`);
  const [legacy, service] = await Promise.all([
    // Named as the stream names its ends in its other errors: source and target.
    catalogOf(forward ? "source" : "target", config.legacy.database, `the legacy database (${config.legacy.name})`),
    catalogOf(forward ? "target" : "source", data.database, `the database of ${serviceName}`),
  ]);
  const resolved = resolveTableMappings(data.tables, `services[${index}].data`, legacy, service, {
    keyNamedWithoutPrimaryKey: config.cdc.transport === "debezium",
  });
  if (resolved.length > 0 && typeof resolved[0] === "string")
    throw new TableMappingError("the migration config", resolved as string[]);
  return resolved as ResolvedTableMapping[];
}

/**
 * Fills `mappings` (the map a stream's sink was created with) with the stream's mappers once the
 * catalog resolved them, at the stream's start.
 */
export async function loadStreamMappings(
  config: MigrationConfig,
  serviceName: string,
  forward: boolean,
  mappings: Map<string, RowMapper>,
): Promise<void> {
  if (mappings.size > 0) return;
  const compiled = compileMappers(
    await resolveServiceTables(config, serviceName, forward),
    forward ? "forward" : "inverse",
  );
  for (const [table, mapper] of compiled) mappings.set(table, mapper);
}
