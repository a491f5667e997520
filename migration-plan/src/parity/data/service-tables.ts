import { readDatabaseCatalog, resolveTableMappings, type ResolvedTableMapping } from "@strangler/cdc";
import { formatTableName, type MigrationConfig, qualifiedTableSql, tableNameOf } from "@strangler/migration-config";
import pg from "pg";
import { readColumnTypes } from "./column-types";
import { ParityError } from "./parity-error";
import { buildTablePlan, type ParityTablePlan } from "./table-plan";

/** The config's services with a data section, filtered by name (all when `names` is empty). */
export function parityServices(config: MigrationConfig, names: readonly string[]) {
  const withData = config.services.flatMap((service, index) => (service.data ? [{ service, index }] : []));
  if (withData.length === 0)
    throw new ParityError(
      "PARITY_NO_DATA",
      "the migration config has no service with a data section: nothing to compare",
    );
  for (const name of names)
    if (!withData.some(({ service }) => service.name === name))
      throw new ParityError(
        "PARITY_UNKNOWN_SERVICE",
        `no service "${name}" with a data section in the migration config (services with one: ${withData.map(({ service }) => service.name).join(", ")})`,
      );
  return withData.filter(({ service }) => names.length === 0 || names.includes(service.name));
}

/** Whether a --table value names this mapping: its legacy or service table, as the config writes it or canonically. */
export function namesTable(text: string, mapping: ResolvedTableMapping): boolean {
  const canonical = (name: string) => formatTableName(tableNameOf(name));
  let wanted: string;
  try {
    wanted = canonical(text);
  } catch {
    wanted = text;
  }
  return [mapping.source, mapping.target].some((name) => name === text || canonical(name) === wanted);
}

/** The catalog readers expect node-postgres' own parsers (arrays, booleans); a parity connection keeps every value as text. */
function withDefaultTypes(client: pg.Client): Pick<pg.ClientBase, "query"> {
  const query = (text: string, values?: unknown[]) => client.query({ text, values, types: pg.types });
  return { query: query as pg.ClientBase["query"] };
}

/**
 * The plans of one service's mapped tables, checked against both databases' catalogs the way the
 * CDC streams check them (resolveTableMappings: keys, columns, copy-all), in the config's order.
 */
export async function planServiceTables(
  config: MigrationConfig,
  entry: { service: MigrationConfig["services"][number]; index: number },
  clients: { legacy: pg.Client; service: pg.Client },
): Promise<ParityTablePlan[]> {
  const data = entry.service.data;
  if (!data) return [];
  const legacy = withDefaultTypes(clients.legacy);
  const service = withDefaultTypes(clients.service);
  const [legacyCatalog, serviceCatalog] = await Promise.all([
    readDatabaseCatalog(legacy, `the legacy database (${config.legacy.name})`),
    readDatabaseCatalog(service, `the database of ${entry.service.name}`),
  ]);
  const resolved = resolveTableMappings(data.tables, `services[${entry.index}].data`, legacyCatalog, serviceCatalog);
  if (resolved.length > 0 && typeof resolved[0] === "string")
    throw new ParityError(
      "PARITY_MAPPING_INVALID",
      `the data section does not match the databases:\n${(resolved as string[]).map((p) => `  - ${p}`).join("\n")}`,
    );
  const plans: ParityTablePlan[] = [];
  for (const mapping of resolved as ResolvedTableMapping[]) {
    const legacyTypes = await readColumnTypes(legacy, qualifiedTableSql(tableNameOf(mapping.source)));
    const serviceTypes = await readColumnTypes(service, qualifiedTableSql(tableNameOf(mapping.target)));
    plans.push(buildTablePlan(entry.service.name, mapping, legacyTypes, serviceTypes));
  }
  return plans;
}
