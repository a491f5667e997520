import type { DataTableConfig } from "@strangler/migration-config";
import type { RowImage } from "../envelope/debezium-envelope";
import { joinParts, splitAtFirst } from "./name-split";
import type { MappedRow, RowMapper } from "./row-mapper";
import { UnappliableEventError } from "./unappliable-event-error";

function keyOf(config: DataTableConfig): [string, string] {
  const entry = Object.entries(config.key)[0];
  // The config schema guarantees exactly one key column; a hand-built config might not.
  if (!entry) throw new Error(`table mapping ${config.source} → ${config.target} has no key column`);
  return entry;
}

function requireKey(row: RowImage, column: string, table: string): unknown {
  const value = row[column];
  if (value === undefined || value === null) throw new UnappliableEventError(`missing key column "${column}" in the ${table} row image`);
  return value;
}

const has = (row: RowImage, column: string): boolean => Object.prototype.hasOwnProperty.call(row, column);

/** legacy → service: renames columns and splits (e.g. name → first_name, last_name). */
export function compileForwardMapper(config: DataTableConfig): RowMapper {
  const [sourceKey, targetKey] = keyOf(config);
  const columns = Object.entries(config.columns);
  return {
    sourceTable: config.source,
    targetTable: config.target,
    sourceKey,
    targetKey,
    newerBy: config.newerBy === undefined ? undefined : config.columns[config.newerBy],
    map(row: RowImage): MappedRow {
      const key = requireKey(row, sourceKey, config.source);
      const values: Record<string, unknown> = {};
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
      return { key, values };
    },
  };
}

/** service → legacy: the inverse renames and joins the split columns back together. */
export function compileInverseMapper(config: DataTableConfig): RowMapper {
  const [sourceKey, targetKey] = keyOf(config);
  const columns = Object.entries(config.columns);
  return {
    sourceTable: config.target,
    targetTable: config.source,
    sourceKey: targetKey,
    targetKey: sourceKey,
    newerBy: config.newerBy,
    map(row: RowImage): MappedRow {
      const key = requireKey(row, targetKey, config.target);
      const values: Record<string, unknown> = {};
      for (const [legacy, service] of columns) if (has(row, service)) values[legacy] = row[service];
      for (const { from, into, separator } of config.split) {
        // Joining needs both halves; with one missing the legacy column keeps its value.
        if (!has(row, into[0]) || !has(row, into[1])) continue;
        const [first, second] = [row[into[0]], row[into[1]] ?? ""];
        values[from] = typeof first === "string" && typeof second === "string" ? joinParts(first, second, separator) : first;
      }
      return { key, values };
    },
  };
}

/** Mappers keyed by the table their events come from, for one direction. */
export function compileMappers(tables: readonly DataTableConfig[], direction: "forward" | "inverse"): Map<string, RowMapper> {
  const compile = direction === "forward" ? compileForwardMapper : compileInverseMapper;
  return new Map(tables.map((table) => {
    const mapper = compile(table);
    return [mapper.sourceTable, mapper];
  }));
}
