import type { MappedRow, RowMapper } from "../mapping/row-mapper";
import { onConflictClause, quote } from "./row-writer";

const ESCAPED = /[\\"]/g;

/** A PostgreSQL array literal of scalar values, as node-postgres would write it (quoted, backslash and double quote escaped). */
export function arrayLiteral(values: readonly unknown[]): string {
  if (values.length === 0) return "{}";
  // This runs for every value of a bulk load: without NULLs and characters to escape, one join does it.
  let plain = true;
  for (const value of values) {
    if (value === null || value === undefined || (typeof value === "string" && (value.includes("\\") || value.includes('"')))) {
      plain = false;
      break;
    }
  }
  if (plain) return `{"${values.join('","')}"}`;
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    parts[i] = value === null || value === undefined ? "NULL" : `"${String(value).replace(ESCAPED, "\\$&")}"`;
  }
  return `{${parts.join(",")}}`;
}

/**
 * Column arrays of `rows` as array literals for typed `unnest` parameters, or null when a value is
 * an object or an array (those go through JSON: in an array literal they would nest).
 */
function columnLiterals(rows: readonly MappedRow[], columns: readonly string[]): string[] | null {
  const arrays: unknown[][] = [[], ...columns.map(() => [])];
  for (const row of rows) {
    if (typeof row.key === "object") return null;
    (arrays[0] as unknown[]).push(row.key);
    for (let i = 0; i < columns.length; i++) {
      const value = row.values[columns[i] as string];
      if (typeof value === "object" && value !== null) return null;
      (arrays[i + 1] as unknown[]).push(value);
    }
  }
  return arrays.map(arrayLiteral);
}

/** One upsert statement with its parameters. */
export interface RowSetStatement {
  text: string;
  values: unknown[];
}

/**
 * The upsert of rows that all set the same `columns`, as one statement: `INSERT … SELECT FROM
 * unnest(typed arrays)` (values go through the columns' input functions, as the per-event path's
 * parameters do), or from `jsonb_populate_recordset` when a column is array-typed or unknown or a
 * value is an object. `types` are the columns' array types (TargetTableState). The ON CONFLICT clause is the per-event path's (equal-value no-op, newerBy).
 */
export function rowSetStatement(
  mapper: RowMapper,
  types: ReadonlyMap<string, string>,
  columns: readonly string[],
  rows: readonly MappedRow[],
  /** Number of the first parameter, when the statement becomes part of a larger one. */
  firstParam = 1,
  /** An SQL condition: the rows are written only if it holds. */
  onlyIf = "true",
): RowSetStatement {
  const table = quote(mapper.targetTable);
  const all = [mapper.targetKey, ...columns];
  const names = all.map(quote).join(", ");
  const casts = all.map((c) => types.get(c));
  const literals = casts.every((c) => c !== undefined) ? columnLiterals(rows, columns) : null;
  if (literals) {
    const params = casts.map((cast, i) => `$${firstParam + i}::${cast as string}`).join(", ");
    return { text: `INSERT INTO ${table} AS t (${names}) SELECT * FROM unnest(${params}) WHERE ${onlyIf} ${onConflictClause(mapper, columns)}`, values: literals };
  }
  const json = rows.map((row) => ({ ...row.values, [mapper.targetKey]: row.key }));
  return {
    text: `INSERT INTO ${table} AS t (${names}) SELECT ${names} FROM jsonb_populate_recordset(NULL::${table}, $${firstParam}::jsonb) WHERE ${onlyIf} ${onConflictClause(mapper, columns)}`,
    values: [JSON.stringify(json)],
  };
}
