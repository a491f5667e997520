import { KEEP_TEXT_TYPES } from "@strangler/cdc";
import { quoteIdentifier } from "@strangler/migration-config";
import type pg from "pg";
import type { ColumnType } from "./column-types";
import type { TextRow } from "./side-reader";

/** A key as one string, for maps. */
export const keyId = (key: readonly string[]): string => JSON.stringify(key);

/**
 * Reads the rows of the given keys now (outside any scan's snapshot), by the key columns' own
 * types so the primary key's index serves the lookup. Returns them by keyId; a key without a row is
 * absent. With `withLsn` also the WAL position after the read: every change it saw is before it.
 */
export async function readRowsByKey(
  client: pg.Client,
  read: {
    tableSql: string;
    select: readonly string[];
    keyColumns: readonly string[];
    keyTypes: ReadonlyMap<string, ColumnType>;
  },
  keys: ReadonlyArray<readonly string[]>,
  withLsn: boolean,
): Promise<{ rows: Map<string, TextRow>; lsn: string | null }> {
  const rows = new Map<string, TextRow>();
  if (keys.length === 0 && !withLsn) return { rows, lsn: null };
  // Aliases no table column is likely to have (the SELECT list names the table's columns unqualified).
  const aliases = read.keyColumns.map((_, i) => `strangler_k${i}`);
  const on = read.keyColumns.map((column, i) => {
    const type = read.keyTypes.get(column);
    const quoted = `t.${quoteIdentifier(column)}`;
    return type?.builtin ? `${quoted} = u.strangler_k${i}::${type.type}` : `${quoted}::text = u.strangler_k${i}`;
  });
  const params = aliases.map((_, i) => `$${i + 1}::text[]`);
  const text = `SELECT ${read.select.join(", ")}
    FROM unnest(${params.join(", ")}) AS u(${aliases.join(", ")}) JOIN ${read.tableSql} AS t ON ${on.join(" AND ")}`;
  if (keys.length > 0) {
    const values = read.keyColumns.map((_, i) => keys.map((key) => key[i] as string));
    const result = await client.query<string[]>({ text, values, rowMode: "array", types: KEEP_TEXT_TYPES });
    for (const row of result.rows) rows.set(keyId(row.slice(0, read.keyColumns.length) as string[]), row);
  }
  const lsn = withLsn
    ? ((await client.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn")).rows[0]?.lsn ?? null)
    : null;
  return { rows, lsn };
}
