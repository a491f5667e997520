import type { MappedRow, RowMapper } from "../mapping/row-mapper";
import { SINK_SCHEMA } from "../defaults";
import { onConflictClause, quote, type WrittenByUs } from "./row-writer";

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
 * Where a row-set upsert finds the newerBy value the sink last wrote to each target row (ADR 0005):
 * `"positions"` reads `row_positions` (right only in the statement that advances them: its snapshot
 * still has the values from before), or the values from before, per row key; null: none.
 */
export type WrittenSource = "positions" | { keys: readonly string[]; written: readonly string[] } | null;

/**
 * The upsert of rows that all set the same `columns`, as one statement: `INSERT … SELECT FROM
 * unnest(typed arrays)` (values go through the columns' input functions, as the per-event path's
 * parameters do), or from `jsonb_populate_recordset` when a column is array-typed or unknown or a
 * value is an object. `types` are the columns' array types (TargetTableState). The ON CONFLICT clause is the per-event path's
 * (equal-value no-op, newerBy with the values the sink last wrote from `writtenSource`).
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
  /** Where the newerBy values the sink last wrote come from (ADR 0005). */
  writtenSource: WrittenSource = null,
): RowSetStatement {
  const statement = dataStatement(mapper, types, columns, rows, firstParam, onlyIf);
  const written = writtenByUs(mapper, types, writtenSource, firstParam + statement.values.length);
  if (written) statement.values.push(...written.values);
  statement.text += ` ${onConflictClause(mapper, columns, written?.written ?? null)}`;
  return statement;
}

/** The newerBy-ownership expression for `source`, with the parameters it adds from `nextParam` on. */
function writtenByUs(mapper: RowMapper, types: ReadonlyMap<string, string>, source: WrittenSource, nextParam: number): { written: WrittenByUs; values: string[] } | null {
  if (source === null || mapper.newerBy === undefined) return null;
  const type = types.get(mapper.newerBy)?.slice(0, -2);
  const key = `(t.${quote(mapper.targetKey)})::text`;
  if (source === "positions") {
    const table = `'${mapper.targetTable.replace(/'/g, "''")}'`;
    return { written: { expression: `(SELECT wp.written_newer_by FROM ${SINK_SCHEMA}.row_positions wp WHERE wp.target_table = ${table} AND wp.row_key = ${key})`, type }, values: [] };
  }
  if (source.keys.length === 0) return null;
  return {
    written: { expression: `(SELECT o.w FROM unnest($${nextParam}::text[], $${nextParam + 1}::text[]) AS o(k, w) WHERE o.k = ${key})`, type },
    values: [arrayLiteral(source.keys), arrayLiteral(source.written)],
  };
}

/** The INSERT … SELECT part of a row-set upsert, without its ON CONFLICT clause. */
function dataStatement(mapper: RowMapper, types: ReadonlyMap<string, string>, columns: readonly string[], rows: readonly MappedRow[], firstParam: number, onlyIf: string): { text: string; values: string[] } {
  const table = quote(mapper.targetTable);
  const all = [mapper.targetKey, ...columns];
  const names = all.map(quote).join(", ");
  const casts = all.map((c) => types.get(c));
  const literals = casts.every((c) => c !== undefined) ? columnLiterals(rows, columns) : null;
  if (literals) {
    const params = casts.map((cast, i) => `$${firstParam + i}::${cast as string}`).join(", ");
    return { text: `INSERT INTO ${table} AS t (${names}) SELECT * FROM unnest(${params}) WHERE ${onlyIf}`, values: literals };
  }
  const json = rows.map((row) => ({ ...row.values, [mapper.targetKey]: row.key }));
  return {
    text: `INSERT INTO ${table} AS t (${names}) SELECT ${names} FROM jsonb_populate_recordset(NULL::${table}, $${firstParam}::jsonb) WHERE ${onlyIf}`,
    values: [JSON.stringify(json)],
  };
}
