import {
  copiesAllColumns,
  formatTableName,
  qualifiedTableSql,
  tableNameOf,
  type DataTableConfig,
} from "@strangler/migration-config";
import type { RowImage } from "../envelope/debezium-envelope";
import { joinParts, splitAtFirst } from "./name-split";
import type { MappedRow, RowMapper } from "./row-mapper";
import { UnappliableEventError } from "./unappliable-event-error";

/**
 * A table mapping as the mappers take it: the config's, with `copyRest` and `exclude` optional (a
 * hand-built one) and, for the inverse of a copy-all table, the legacy columns to copy back.
 */
export type TableMapping = Omit<DataTableConfig, "copyRest" | "exclude"> & {
  copyRest?: boolean;
  exclude?: string[];
  /**
   * Copy-all tables, inverse direction: the legacy (source) table's columns, read from the catalog
   * at start (resolveTableMappings); the service's own extra columns are not copied back. Absent:
   * every column of the image that is not mapped otherwise.
   */
  sourceColumns?: readonly string[];
};

function keyOf(config: TableMapping): Array<[string, string]> {
  const entries = Object.entries(config.key ?? {});
  // The config may omit the key (then the catalog decides at start: resolveTableMappings).
  if (entries.length === 0)
    throw new Error(
      `table mapping ${config.source} → ${config.target} has no key: resolve it from the catalog first (resolveTableMappings)`,
    );
  return entries;
}

function keyValues(row: RowImage, columns: readonly string[], table: string): unknown[] {
  return columns.map((column) => {
    const value = row[column];
    if (value === undefined || value === null)
      throw new UnappliableEventError(`missing key column "${column}" in the ${table} row image`);
    return value;
  });
}

const has = (row: RowImage, column: string): boolean => Object.prototype.hasOwnProperty.call(row, column);

const canonical = (name: string): string => formatTableName(tableNameOf(name));

/** legacy → service: renames columns and splits (e.g. name → first_name, last_name); copy-all copies the rest under its own name. */
export function compileForwardMapper(config: TableMapping): RowMapper {
  const key = keyOf(config);
  const sourceKeys = key.map(([source]) => source);
  const columns = Object.entries(config.columns ?? {});
  const copyAll = copiesAllColumns({ columns: config.columns, copyRest: config.copyRest ?? false });
  // Not copied under their own name: the key, renamed and split columns, excluded ones.
  const skip = new Set([
    ...sourceKeys,
    ...columns.map(([from]) => from),
    ...config.split.map((s) => s.from),
    ...(config.exclude ?? []),
  ]);
  const newerBy = config.newerBy === undefined ? undefined : (config.columns?.[config.newerBy] ?? config.newerBy);
  return {
    sourceTable: canonical(config.source),
    targetTable: canonical(config.target),
    targetSql: qualifiedTableSql(tableNameOf(config.target)),
    sourceKeys,
    targetKeys: key.map(([, target]) => target),
    ...(newerBy !== undefined ? { newerBy } : {}),
    map(row: RowImage): MappedRow {
      const keyValue = keyValues(row, sourceKeys, config.source);
      const values: Record<string, unknown> = {};
      // Every column of the image, so one added to the source later is picked up (ADR 0012).
      if (copyAll) for (const column of Object.keys(row)) if (!skip.has(column)) values[column] = row[column];
      // A column absent from the image is left out, so the target keeps its value (or default).
      for (const [from, to] of columns) if (has(row, from)) values[to] = row[from];
      for (const { from, into, separator } of config.split) {
        if (!has(row, from)) continue;
        const value = row[from];
        // null or a non-string cannot be split; pass it on and let the target's constraints judge it.
        const [first, second] = typeof value === "string" ? splitAtFirst(value, separator) : [value, value];
        values[into[0]] = first;
        values[into[1]] = second;
      }
      return { key: keyValue, values };
    },
  };
}

/** service → legacy: the inverse renames, joins the split columns back together and copies back what copy-all copied. */
export function compileInverseMapper(config: TableMapping): RowMapper {
  const key = keyOf(config);
  const targetKeys = key.map(([, target]) => target);
  const columns = Object.entries(config.columns ?? {});
  const copyAll = copiesAllColumns({ columns: config.columns, copyRest: config.copyRest ?? false });
  const skip = new Set([
    ...key.map(([source]) => source),
    ...targetKeys,
    ...columns.flatMap(([from, to]) => [from, to]),
    ...config.split.flatMap((s) => [s.from, ...s.into]),
    ...(config.exclude ?? []),
  ]);
  const only = config.sourceColumns ? new Set(config.sourceColumns) : null;
  return {
    sourceTable: canonical(config.target),
    targetTable: canonical(config.source),
    targetSql: qualifiedTableSql(tableNameOf(config.source)),
    sourceKeys: targetKeys,
    targetKeys: key.map(([source]) => source),
    ...(config.newerBy !== undefined ? { newerBy: config.newerBy } : {}),
    map(row: RowImage): MappedRow {
      const keyValue = keyValues(row, targetKeys, config.target);
      const values: Record<string, unknown> = {};
      if (copyAll)
        for (const column of Object.keys(row))
          if (!skip.has(column) && (only === null || only.has(column))) values[column] = row[column];
      for (const [legacy, service] of columns) if (has(row, service)) values[legacy] = row[service];
      for (const { from, into, separator } of config.split) {
        // Joining needs both halves; with one missing the legacy column keeps its value.
        if (!has(row, into[0]) || !has(row, into[1])) continue;
        const [first, second] = [row[into[0]], row[into[1]] ?? ""];
        values[from] =
          typeof first === "string" && typeof second === "string" ? joinParts(first, second, separator) : first;
      }
      return { key: keyValue, values };
    },
  };
}

/** Mappers keyed by the table their events come from (canonical name), for one direction. */
export function compileMappers(
  tables: readonly TableMapping[],
  direction: "forward" | "inverse",
): Map<string, RowMapper> {
  const compile = direction === "forward" ? compileForwardMapper : compileInverseMapper;
  return new Map(
    tables.map((table) => {
      const mapper = compile(table);
      return [mapper.sourceTable, mapper];
    }),
  );
}

/** The canonical name of an event's table (`User`, `sales.User`), as compileMappers keys the mappers. */
export function eventTableName(source: { schema?: string; table: string }): string {
  return formatTableName({ schema: source.schema || "public", name: source.table });
}
