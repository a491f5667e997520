import { qualifiedTableSql, tableNameOf } from "@strangler/migration-config";
import type { Client } from "pg";
import { toRowImage } from "../../src/embedded-source/row-values";
import { KEEP_TEXT_TYPES } from "../../src/embedded-source/text-session";
import { compileForwardMapper, type TableMapping } from "../../src/mapping/compile-table-mapping";
import { encodeRowKey } from "../../src/mapping/row-key";

/**
 * Differences between a source table mapped forward (the sink's own mapping code) and the target
 * table, key by key and column by column (the target's unmapped columns, e.g. version, ignored),
 * values compared in their text form (both clients should be in the same session settings).
 * Empty when they are equal.
 */
export async function mappedDifferences(table: TableMapping, source: Client, target: Client): Promise<string[]> {
  const mapper = compileForwardMapper(table);
  const [sourceRows, targetRows] = await Promise.all([
    source.query<Record<string, unknown>>({
      text: `SELECT * FROM ${qualifiedTableSql(tableNameOf(table.source))}`,
      types: KEEP_TEXT_TYPES,
    }),
    target.query<Record<string, unknown>>({ text: `SELECT * FROM ${mapper.targetSql}`, types: KEEP_TEXT_TYPES }),
  ]);
  const expected = new Map<string, Record<string, unknown>>();
  for (const row of sourceRows.rows) {
    const mapped = mapper.map(toRowImage(row) ?? {});
    expected.set(encodeRowKey(mapped.key), mapped.values);
  }
  const actual = new Map(
    targetRows.rows.map((row) => [encodeRowKey(mapper.targetKeys.map((column) => row[column])), toRowImage(row) ?? {}]),
  );
  const problems: string[] = [];
  for (const [key, values] of expected) {
    const row = actual.get(key);
    if (!row) {
      problems.push(`${key}: missing in ${mapper.targetTable}`);
      continue;
    }
    for (const [column, value] of Object.entries(values)) {
      if (JSON.stringify(row[column] ?? null) !== JSON.stringify(value ?? null))
        problems.push(`${key}.${column}: expected ${JSON.stringify(value)}, found ${JSON.stringify(row[column])}`);
    }
  }
  for (const key of actual.keys())
    if (!expected.has(key)) problems.push(`${key}: in ${mapper.targetTable} but not in ${mapper.sourceTable}`);
  return problems;
}

/** The sink's row positions in the target database (row key → LSN), from strangler_cdc.row_positions. */
export async function rowPositions(target: Client, table: string): Promise<Map<string, bigint>> {
  const result = await target.query<{ row_key: string; lsn: string }>(
    "SELECT row_key, lsn::text AS lsn FROM strangler_cdc.row_positions WHERE target_table = $1",
    [table],
  );
  return new Map(result.rows.map((row) => [row.row_key, BigInt(row.lsn)]));
}

/** A counter's value summed over the series of /metrics text whose labels include all of `labels`. */
export function metricValue(text: string, name: string, labels: Record<string, string>): number {
  let total = 0;
  for (const line of text.split("\n")) {
    const match = /^([a-z_]+)\{([^}]*)\} ([0-9.eE+-]+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const series = match[2] ?? "";
    if (Object.entries(labels).every(([key, value]) => series.includes(`${key}="${value}"`))) total += Number(match[3]);
  }
  return total;
}
