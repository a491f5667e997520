import type { MappedRow, RowMapper } from "../mapping/row-mapper";
import { toPgText } from "../mapping/pg-text";
import { SINK_SCHEMA } from "../defaults";
import { rowKeySql } from "../mapping/row-key";
import { onConflictClause, quote, targetRowKeySql, type WrittenByUs } from "./row-writer";
import type { TargetColumn } from "./target-table-state";

const ESCAPED = /[\\"]/g;

/**
 * A PostgreSQL text[] literal of row values in their text form (toPgText): quoted, backslash and
 * double quote escaped, NULL unquoted. An array value becomes one element holding its own literal.
 */
export function arrayLiteral(values: readonly unknown[]): string {
  if (values.length === 0) return "{}";
  // This runs for every value of a bulk load: with only plain strings and numbers, one join does it.
  let plain = true;
  for (const value of values) {
    const kind = typeof value;
    if (!(
      (kind === "string" && !(value as string).includes("\\") && !(value as string).includes('"')) ||
      (kind === "number" && Number.isFinite(value) && !Object.is(value, -0))
    )) {
      plain = false;
      break;
    }
  }
  if (plain) return `{"${values.join('","')}"}`;
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const text = toPgText(values[i]);
    parts[i] = text === null ? "NULL" : `"${text.replace(ESCAPED, "\\$&")}"`;
  }
  return `{${parts.join(",")}}`;
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

/** `"insert-only"`: the rows are known to be new (their keys have no position): a plain INSERT, no ON CONFLICT. */
export type RowSetMode = WrittenSource | "insert-only";

/** The target column's type, or an error naming the column (the caller falls back to the per-event path, which dead-letters). */
export function columnType(mapper: RowMapper, columns: ReadonlyMap<string, TargetColumn>, column: string): string {
  const known = columns.get(column);
  if (!known) throw new Error(`column "${column}" of relation ${mapper.targetSql} does not exist`);
  return known.type;
}

/**
 * `rows` as `unnest` over text[] parameters (one per column, the key columns first) with each column
 * cast to its target type in the select list: every value reaches the column's input function as
 * text, as the per-event path's parameters do; array-typed columns work too (an element holds the
 * array's literal). Returns the FROM item (aliased `u`, columns `k0`… for the key, `c0`… for
 * `names`), the cast select lists (`keys`, then `select` for `names`), `keyText` (the rows' row-key
 * text, encodeRowKey's, from the uncast key columns) and the parameters.
 */
export function textRowSet(
  mapper: RowMapper,
  columns: ReadonlyMap<string, TargetColumn>,
  names: readonly string[],
  rows: readonly MappedRow[],
  firstParam: number,
): { from: string; keys: string[]; select: string[]; keyText: string; values: string[] } {
  const keyCount = mapper.targetKeys.length;
  const keys = mapper.targetKeys.map(() => new Array<unknown>(rows.length));
  const arrays = names.map(() => new Array<unknown>(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as MappedRow;
    for (let k = 0; k < keyCount; k++) (keys[k] as unknown[])[r] = row.key[k];
    for (let i = 0; i < names.length; i++) (arrays[i] as unknown[])[r] = row.values[names[i] as string];
  }
  const keyAliases = mapper.targetKeys.map((_, i) => `k${i}`);
  const aliases = [...keyAliases, ...names.map((_, i) => `c${i}`)];
  const params = aliases.map((_, i) => `$${firstParam + i}::text[]`).join(", ");
  const types = [
    ...mapper.targetKeys.map((key) => columnType(mapper, columns, key)),
    ...names.map((name) => columnType(mapper, columns, name)),
  ];
  const casts = aliases.map((alias, i) => `u.${alias}::${types[i] as string}`);
  return {
    from: `unnest(${params}) AS u(${aliases.join(", ")})`,
    keys: casts.slice(0, keyCount),
    select: casts.slice(keyCount),
    keyText: rowKeySql(keyAliases.map((alias) => `u.${alias}`)),
    values: [...keys.map(arrayLiteral), ...arrays.map(arrayLiteral)],
  };
}

/**
 * The upsert of rows that all set the same `columns`, as one statement `INSERT … SELECT FROM
 * unnest(text[] …)` (textRowSet), with the per-event path's ON CONFLICT clause (equal-value no-op,
 * newerBy with the values the sink last wrote from `writtenSource`) and `RETURNING 1`, so a caller
 * can count the rows it wrote.
 */
export function rowSetStatement(
  mapper: RowMapper,
  columns: ReadonlyMap<string, TargetColumn>,
  names: readonly string[],
  rows: readonly MappedRow[],
  /** Number of the first parameter, when the statement becomes part of a larger one. */
  firstParam = 1,
  /** An SQL condition: the rows are written only if it holds. */
  onlyIf = "true",
  /** Where the newerBy values the sink last wrote come from (ADR 0005), or "insert-only". */
  mode: RowSetMode = null,
): RowSetStatement {
  const set = textRowSet(mapper, columns, names, rows, firstParam);
  const targetNames = [...mapper.targetKeys, ...names].map(quote).join(", ");
  const values: unknown[] = set.values;
  const insert = `INSERT INTO ${mapper.targetSql} AS t (${targetNames}) SELECT ${[...set.keys, ...set.select].join(", ")} FROM ${set.from} WHERE ${onlyIf}`;
  if (mode === "insert-only") return { text: `${insert} RETURNING 1`, values };
  const written = writtenByUs(mapper, columns, mode, firstParam + values.length);
  if (written) values.push(...written.values);
  return {
    text: `${insert}
    ${onConflictClause(mapper, names, columns, written?.written ?? null)} RETURNING 1`,
    values,
  };
}

/** The newerBy-ownership expression for `source`, with the parameters it adds from `nextParam` on. */
function writtenByUs(
  mapper: RowMapper,
  columns: ReadonlyMap<string, TargetColumn>,
  source: WrittenSource,
  nextParam: number,
): { written: WrittenByUs; values: string[] } | null {
  if (source === null || mapper.newerBy === undefined) return null;
  const type = columns.get(mapper.newerBy)?.type;
  const key = targetRowKeySql(mapper, "t");
  if (source === "positions") {
    const table = `'${mapper.targetTable.replace(/'/g, "''")}'`;
    return {
      written: {
        expression: `(SELECT wp.written_newer_by FROM ${SINK_SCHEMA}.row_positions wp WHERE wp.target_table = ${table} AND wp.row_key = ${key})`,
        type,
      },
      values: [],
    };
  }
  if (source.keys.length === 0) return null;
  return {
    written: {
      expression: `(SELECT o.w FROM unnest($${nextParam}::text[], $${nextParam + 1}::text[]) AS o(k, w) WHERE o.k = ${key})`,
      type,
    },
    values: [arrayLiteral(source.keys), arrayLiteral(source.written)],
  };
}
