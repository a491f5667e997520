import { readDatabaseCatalog, resolveTableMappings } from "@strangler/cdc";
import { type MigrationConfig, redactDatabaseUrl } from "@strangler/migration-config";
import type { GateResult } from "@strangler/ops-contract";
import pg from "pg";

const GATE = "prepare";

/**
 * The prepare step's gate: the service's data section resolved against both databases' catalogs
 * exactly as a CDC stream resolves it (tables, keys, columns). A database that does not answer, or
 * a mapping that does not match, fails with what is wrong.
 */
export async function checkServiceMappings(config: MigrationConfig, serviceName: string): Promise<GateResult> {
  const index = config.services.findIndex((s) => s.name === serviceName);
  const data = config.services[index]?.data;
  if (!data)
    return {
      gate: GATE,
      verdict: "pass",
      message: `${serviceName} has no data section: no tables to prepare`,
      figures: { tables: 0 },
    };
  const legacyUrl = config.legacy.database;
  if (!legacyUrl)
    return {
      gate: GATE,
      verdict: "fail",
      message: "the migration config names no legacy.database",
      figures: { tables: 0 },
    };
  const clients: pg.Client[] = [];
  const open = async (url: string) => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    clients.push(client);
    await client.connect();
    return client;
  };
  try {
    const [legacy, service] = [await open(legacyUrl), await open(data.database)];
    const resolved = resolveTableMappings(
      data.tables,
      `services[${index}].data`,
      await readDatabaseCatalog(legacy, `the legacy database (${config.legacy.name})`),
      await readDatabaseCatalog(service, `the database of ${serviceName}`),
    );
    const problems = resolved.filter((r): r is string => typeof r === "string");
    if (problems.length > 0)
      return {
        gate: GATE,
        verdict: "fail",
        message: `the data section does not match the databases: ${problems.join("; ")}`,
        figures: { tables: data.tables.length, problems: problems.length },
      };
    return {
      gate: GATE,
      verdict: "pass",
      message: `${data.tables.length} table(s) resolve against both databases (keys and columns)`,
      figures: { tables: data.tables.length },
    };
  } catch (error) {
    return {
      gate: GATE,
      verdict: "fail",
      message: `cannot read the catalogs (${redactDatabaseUrl(legacyUrl)}, ${redactDatabaseUrl(data.database)}): ${(error as Error).message}`,
      figures: { tables: data.tables.length },
    };
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  }
}
