import type { PoolClient } from "pg";
import type { MappedRow, RowMapper } from "../mapping/row-mapper";
import { comparable, quote } from "./row-writer";
import { textRowSet } from "./row-set-writer";
import type { TargetColumn } from "./target-table-state";

/** A row whose upsert wrote nothing although the target does not hold the event's values. */
export interface Unreflected {
  key: string;
  /**
   * "conflict": the newerBy rule kept a target row whose value is later (or set where the event's is
   * null: ADR 0005); "missing" / "different": something else (a trigger, a rule).
   */
  cause: "conflict" | "missing" | "different";
  reason: string;
}

/**
 * After upserts that wrote fewer rows than they were given, finds the rows of `rows` (all setting
 * `names`) that the target does not reflect: absent, or with a value that differs from the event's
 * (compared after the cast to the column's type, as the upsert wrote it). An equal-value no-op is
 * fine; anything else would leave the row's stored position ahead of the row itself, silently —
 * the caller records these as conflicts or dead letters instead.
 */
export async function findUnreflected(
  client: PoolClient,
  mapper: RowMapper,
  columns: ReadonlyMap<string, TargetColumn>,
  names: readonly string[],
  rows: readonly MappedRow[],
): Promise<Unreflected[]> {
  if (rows.length === 0) return [];
  const set = textRowSet(mapper, columns, names, rows, 1);
  const key = quote(mapper.targetKeys[0] as string);
  const valueCasts = set.select;
  const join = mapper.targetKeys.map((column, i) => `t.${quote(column)} = ${set.keys[i] as string}`).join(" AND ");
  const target = names.map((c) => comparable(`t.${quote(c)}`, columns.get(c))).join(", ");
  const incoming = names.map((c, i) => comparable(valueCasts[i] as string, columns.get(c))).join(", ");
  const newerByAt = mapper.newerBy === undefined ? -1 : names.indexOf(mapper.newerBy);
  const newerBy = newerByAt >= 0 ? quote(mapper.newerBy as string) : null;
  const differs = names.length === 0 ? "false" : `ROW(${target}) IS DISTINCT FROM ROW(${incoming})`;
  const result = await client.query<{
    key: string;
    missing: boolean;
    target_newer: boolean | null;
    target_value: string | null;
    event_value: string | null;
  }>(
    `SELECT ${set.keyText} AS key, t.${key} IS NULL AS missing,
       ${newerBy ? `(t.${newerBy} > ${valueCasts[newerByAt] as string} OR (${valueCasts[newerByAt] as string} IS NULL AND t.${newerBy} IS NOT NULL))` : "NULL::boolean"} AS target_newer,
       ${newerBy ? `t.${newerBy}::text` : "NULL::text"} AS target_value, ${newerBy ? `(${valueCasts[newerByAt] as string})::text` : "NULL::text"} AS event_value
     FROM ${set.from} LEFT JOIN ${mapper.targetSql} t ON ${join}
     WHERE t.${key} IS NULL OR ${differs}`,
    set.values,
  );
  return result.rows.map((row) => {
    if (row.missing)
      return {
        key: row.key,
        cause: "missing",
        reason: `not applied: after the upsert the row is not in ${mapper.targetTable} (a trigger or rule on the target table cancelled it?)`,
      };
    if (row.target_newer) {
      return {
        key: row.key,
        cause: "conflict",
        reason: `conflict: the ${mapper.targetTable} row was changed by another writer since the sink last wrote it, and its ${mapper.newerBy as string} (${row.target_value ?? "null"}) is later than the event's (${row.event_value ?? "null"}): the target keeps its row (newerBy rule, ADR 0005)`,
      };
    }
    return {
      key: row.key,
      cause: "different",
      reason: `not applied: after the upsert the ${mapper.targetTable} row differs from the event (a trigger or rule on the target table changed or cancelled the write?)`,
    };
  });
}
