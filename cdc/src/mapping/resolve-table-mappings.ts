import { copiesAllColumns, formatTableName, tableNameOf, type DataTableConfig } from "@strangler/migration-config";
import { didYouMean } from "./closest-names";
import type { TableMapping } from "./compile-table-mapping";
import type { CatalogTable, DatabaseCatalog } from "./database-catalog";

/** A table mapping checked against both catalogs: the key is known and, for copy-all, the legacy columns. */
export type ResolvedTableMapping = TableMapping & { key: Record<string, string>; sourceColumns: readonly string[] };

function findTable(catalog: DatabaseCatalog, text: string): CatalogTable | undefined {
  const wanted = tableNameOf(text);
  return catalog.tables.find((t) => t.schema === wanted.schema && t.name === wanted.name);
}

/** The key the catalog gives a table without one in the config: its primary key, else the first unique index on NOT NULL columns. */
export function catalogKey(table: CatalogTable): readonly string[] | null {
  if (table.primaryKey) return table.primaryKey;
  const notNull = new Set(table.columns.filter((c) => c.notNull).map((c) => c.name));
  const candidates = table.uniqueKeys.filter((columns) => columns.every((c) => notNull.has(c)));
  // Fewest columns first: the narrowest key makes the shortest row-key text.
  return [...candidates].sort((a, b) => a.length - b.length)[0] ?? null;
}

/**
 * Checks the data section's tables against the legacy and the service database catalogs and fills
 * in what the config leaves to them: the key (primary key, else a unique index on NOT NULL columns)
 * and the legacy columns a copy-all table copies back on the reverse stream. Returns the problems
 * (each naming the config path from `at`, e.g. `services[0].data`, what was looked for and the
 * closest existing names) instead when there are any.
 */
export function resolveTableMappings(
  tables: readonly DataTableConfig[],
  at: string,
  legacy: DatabaseCatalog,
  service: DatabaseCatalog,
  /** Debezium: a table without a primary key must name its key (the connector's message.key.columns is generated from it). */
  options: { keyNamedWithoutPrimaryKey?: boolean } = {},
): ResolvedTableMapping[] | string[] {
  const problems: string[] = [];
  const resolved: ResolvedTableMapping[] = [];
  tables.forEach((table, t) => {
    const here = `${at}.tables[${t}]`;
    const source = findTable(legacy, table.source);
    const target = findTable(service, table.target);
    const tableNames = (catalog: DatabaseCatalog) =>
      catalog.tables.map((c) => formatTableName({ schema: c.schema, name: c.name }));
    if (!source)
      problems.push(
        `${here}.source: no table ${JSON.stringify(table.source)} in ${legacy.label}${didYouMean(table.source, tableNames(legacy))}`,
      );
    if (!target)
      problems.push(
        `${here}.target: no table ${JSON.stringify(table.target)} in ${service.label}${didYouMean(table.target, tableNames(service))}`,
      );
    const sourceColumns = source?.columns.map((c) => c.name) ?? [];
    const targetColumns = target?.columns.map((c) => c.name) ?? [];
    const needSource = (column: string, path: string) => {
      if (source && !sourceColumns.includes(column))
        problems.push(
          `${here}.${path}: no column ${JSON.stringify(column)} in ${legacy.label}'s table ${JSON.stringify(table.source)}${didYouMean(column, sourceColumns)}`,
        );
    };
    const needTarget = (column: string, path: string) => {
      if (target && !targetColumns.includes(column))
        problems.push(
          `${here}.${path}: no column ${JSON.stringify(column)} in ${service.label}'s table ${JSON.stringify(table.target)}${didYouMean(column, targetColumns)}`,
        );
    };
    let key = table.key;
    if (key === undefined && source) {
      const found = catalogKey(source);
      if (found && !source.primaryKey && options.keyNamedWithoutPrimaryKey)
        problems.push(
          `${here}.key: table ${JSON.stringify(table.source)} in ${legacy.label} has no primary key; on the Debezium transport name its key (e.g. key: { ${found.map((c) => `${c}: ${c}`).join(", ")} }), so the connector keys its messages by it (message.key.columns)`,
        );
      if (found) key = Object.fromEntries(found.map((column) => [column, column]));
      else
        problems.push(
          `${here}.source: table ${JSON.stringify(table.source)} in ${legacy.label} has no primary key and no unique index on NOT NULL columns, so its rows cannot be told apart: add a primary key (or a unique index on NOT NULL columns) to it, or name the key columns in ${here}.key`,
        );
    }
    for (const [from, to] of Object.entries(key ?? {})) {
      needSource(from, `key.${from}`);
      needTarget(to, `key.${from}`);
    }
    if (key && target && Object.values(key).every((c) => targetColumns.includes(c))) {
      const wanted = new Set(Object.values(key));
      const unique = target.uniqueKeys.some(
        (columns) => columns.length === wanted.size && columns.every((c) => wanted.has(c)),
      );
      if (!unique)
        problems.push(
          `${here}.key: ${service.label}'s table ${JSON.stringify(table.target)} has no primary key or unique index on exactly (${[...wanted].join(", ")}): the sink upserts by the key, add one`,
        );
    }
    for (const [from, to] of Object.entries(table.columns ?? {})) {
      needSource(from, `columns.${from}`);
      needTarget(to, `columns.${from}`);
    }
    table.split.forEach((entry, i) => {
      needSource(entry.from, `split[${i}].from`);
      entry.into.forEach((column, j) => needTarget(column, `split[${i}].into[${j}]`));
    });
    table.exclude.forEach((column, i) => needSource(column, `exclude[${i}]`));
    if (table.newerBy !== undefined) needSource(table.newerBy, "newerBy");
    if (copiesAllColumns(table) && source && target) {
      const mapped = new Set([
        ...Object.keys(key ?? {}),
        ...Object.keys(table.columns ?? {}),
        ...table.split.map((s) => s.from),
        ...table.exclude,
      ]);
      for (const column of sourceColumns.filter((c) => !mapped.has(c) && !targetColumns.includes(c))) {
        problems.push(
          `${here}: copies every column of ${JSON.stringify(table.source)}, but ${service.label}'s table ${JSON.stringify(table.target)} has no column ${JSON.stringify(column)}${didYouMean(column, targetColumns)} (add it there, map it in columns, or list it in exclude)`,
        );
      }
    }
    if (key) resolved.push({ ...table, key, sourceColumns });
  });
  return problems.length > 0 ? problems : resolved;
}
