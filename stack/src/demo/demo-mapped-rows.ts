import { type DataTableConfig, qualifiedTableSql, quoteIdentifier, tableNameOf } from "@strangler/migration-config";
import { withPgClient } from "../postgres/pg-client";

type Row = Record<string, string | null>;

/** `SELECT key AS "k0", col AS "c0", …` of one side of a mapping, every value as text. */
async function selectAsText(url: string, table: string, columns: readonly string[]): Promise<Row[]> {
  const list = columns.map((column, i) => `${quoteIdentifier(column)}::text AS "v${i}"`).join(", ");
  return withPgClient(
    url,
    async (client) => (await client.query<Row>(`SELECT ${list} FROM ${qualifiedTableSql(tableNameOf(table))}`)).rows,
  );
}

/**
 * The source rows of a table mapping with explicit `key` and `columns` (no split) whose target row
 * is missing or differs in a mapped column, compared as text key by key; read from the config, so the
 * demo names no table or column itself.
 */
export async function countMappedMismatches(
  sourceUrl: string,
  targetUrl: string,
  table: DataTableConfig,
): Promise<{ rows: number; mismatches: number }> {
  if (!table.key || !table.columns || table.split.length > 0)
    throw new Error(`demo: the ${table.source} mapping needs explicit key and columns, no split`);
  const pairs = [...Object.entries(table.key), ...Object.entries(table.columns)];
  const keys = Object.keys(table.key).length;
  const [source, target] = await Promise.all([
    selectAsText(
      sourceUrl,
      table.source,
      pairs.map(([from]) => from),
    ),
    selectAsText(
      targetUrl,
      table.target,
      pairs.map(([, to]) => to),
    ),
  ]);
  const keyOf = (row: Row) => JSON.stringify(pairs.slice(0, keys).map((_, i) => row[`v${i}`]));
  const byKey = new Map(target.map((row) => [keyOf(row), row]));
  const mismatches = source.filter((row) => {
    const copy = byKey.get(keyOf(row));
    return !copy || pairs.some((_, i) => copy[`v${i}`] !== row[`v${i}`]);
  }).length;
  return { rows: source.length, mismatches };
}
