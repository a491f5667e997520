import { quoteIdentifier } from "@strangler/migration-config";
import { type KeyOrderKind, keyParamSql } from "../key-order";
import type { ParityTablePlan } from "../table-plan";

/** A statement and its parameters (key values as text, marker keys as text arrays). */
export interface SqlQuery {
  text: string;
  values: unknown[];
}

/** A key range: keys after `after` (from the start when null) up to and including `through` (to the end when null). */
export interface KeyRange {
  after: readonly string[] | null;
  through: readonly string[] | null;
}

/**
 * What one side's checksum queries read: the table, its key as the service key's text and as the
 * ORDER BY expressions both sides share, and the canonical text of a row (key, then the compared
 * columns in plan.compared order). The legacy side's text goes through the mapping in SQL, so equal
 * rows give the same text on both sides.
 */
export interface ChecksumSide {
  tableSql: string;
  keyText: readonly string[];
  order: readonly string[];
  kinds: readonly KeyOrderKind[];
  rowText: string;
}

/** An ARRAY of text values as one text: unambiguous (NULL apart from "NULL", quotes escaped) and without the 100-argument limit of a function. */
function arrayText(values: readonly string[]): string {
  return `ARRAY[${values.map((value) => `(${value})`).join(", ")}]::text[]::text`;
}

/** Both sides' checksum reads of a table plan. */
export function checksumSides(plan: ParityTablePlan): { legacy: ChecksumSide; service: ChecksumSide } {
  const mapped = (column: string): string => {
    const sql = plan.legacyMappedSql[column];
    if (sql === undefined) throw new Error(`${plan.legacyTable}: no SQL mapping for service column "${column}"`);
    return sql;
  };
  const legacyKeyText = plan.serviceKeys.map(mapped);
  const serviceKeyText = plan.serviceKeys.map((key) => `${quoteIdentifier(key)}::text`);
  return {
    legacy: {
      tableSql: plan.legacySql,
      keyText: legacyKeyText,
      order: plan.legacyOrder,
      kinds: plan.keyKinds,
      rowText: arrayText([...legacyKeyText, ...plan.compared.map(mapped)]),
    },
    service: {
      tableSql: plan.serviceSql,
      keyText: serviceKeyText,
      order: plan.serviceOrder,
      kinds: plan.keyKinds,
      rowText: arrayText([...serviceKeyText, ...plan.compared.map((column) => `${quoteIdentifier(column)}::text`)]),
    },
  };
}

/** A 60-bit slice of the row text's md5 as a bigint: summed over a range it does not depend on row order (datafold's data-diff does the same). */
export function rowHashSql(side: ChecksumSide): string {
  return `('x' || substr(md5(${side.rowText}), 1, 15))::bit(60)::int8`;
}

/** The WHERE clause (or "") of a key range, appending its parameters to `values`. */
export function rangeWhereSql(side: ChecksumSide, range: KeyRange, values: unknown[]): string {
  const bound = (key: readonly string[], operator: string): string => {
    const params = key.map((value, i) => {
      values.push(value);
      return keyParamSql(side.kinds[i] as KeyOrderKind, values.length);
    });
    return `(${side.order.join(", ")}) ${operator} (${params.join(", ")})`;
  };
  const where: string[] = [];
  if (range.after) where.push(bound(range.after, ">"));
  if (range.through) where.push(bound(range.through, "<="));
  return where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "";
}

/**
 * Every `step`-th key of a range in key order (at most `limit`), as the service key's text: the
 * boundaries of ranges of `step` rows. One pass over the key's index, stopped by the limit.
 */
export function boundariesSql(side: ChecksumSide, range: KeyRange, step: number, limit: number): SqlQuery {
  const values: unknown[] = [];
  const where = rangeWhereSql(side, range, values);
  const keys = side.keyText.map((_, i) => `strangler_k${i}`);
  const text = `SELECT ${keys.join(", ")} FROM (SELECT ${side.keyText.map((sql, i) => `${sql} AS strangler_k${i}`).join(", ")},
    row_number() OVER (ORDER BY ${side.order.join(", ")}) AS strangler_rn FROM ${side.tableSql}${where}) AS strangler_s
    WHERE strangler_rn % ${Math.max(1, Math.floor(step))} = 0 ORDER BY strangler_rn LIMIT ${Math.max(1, Math.floor(limit))}`;
  return { text, values };
}

/** The last key of a range (the end of an open-ended range that agrees). */
export function lastKeySql(side: ChecksumSide, range: KeyRange): SqlQuery {
  const values: unknown[] = [];
  const where = rangeWhereSql(side, range, values);
  return {
    text: `SELECT ${side.keyText.join(", ")} FROM ${side.tableSql}${where} ORDER BY ${side.order
      .map((order) => `${order} DESC`)
      .join(", ")} LIMIT 1`,
    values,
  };
}

const ARRAY_TYPE: Record<KeyOrderKind, string> = { integer: "int8[]", uuid: "uuid[]", text: "text[]" };

/**
 * Count and hash sum of consecutive ranges in one pass: the rows of the whole span (from the first
 * range's start to the last one's end) and the inner range ends as marker rows, ordered together by
 * key; a row's bucket is the number of markers before it (a marker sorts after a row of its key, as
 * a range includes its end). Buckets without rows are absent from the result.
 */
export function rangeChecksumsSql(side: ChecksumSide, ranges: readonly KeyRange[]): SqlQuery {
  const first = ranges[0];
  const last = ranges[ranges.length - 1];
  if (!first || !last) throw new Error("rangeChecksumsSql needs at least one range");
  const values: unknown[] = [];
  const where = rangeWhereSql(side, { after: first.after, through: last.through }, values);
  const columns = side.order.map((_, i) => `strangler_o${i}`);
  const ends = ranges.slice(0, -1).map((range) => range.through as readonly string[]);
  const markerColumns = (ends.length === 0 ? [] : side.kinds).map((kind, i) => {
    values.push(ends.map((end) => end[i] as string));
    return { param: `$${values.length}::${ARRAY_TYPE[kind]}`, column: kind === "text" ? `m${i} COLLATE "C"` : `m${i}` };
  });
  const markers =
    markerColumns.length === 0
      ? ""
      : ` UNION ALL SELECT ${markerColumns.map((m) => m.column).join(", ")}, 1, NULL::int8 FROM unnest(${markerColumns
          .map((m) => m.param)
          .join(", ")}) AS strangler_m(${markerColumns.map((_, i) => `m${i}`).join(", ")})`;
  const text = `SELECT strangler_b::text AS bucket, count(*)::text AS rows, sum(strangler_h)::text AS hash FROM (
    SELECT strangler_m, strangler_h, sum(strangler_m) OVER (ORDER BY ${columns.join(", ")}, strangler_m ROWS UNBOUNDED PRECEDING) AS strangler_b
    FROM (SELECT ${side.order.map((order, i) => `${order} AS ${columns[i]}`).join(", ")}, 0 AS strangler_m, ${rowHashSql(side)} AS strangler_h
      FROM ${side.tableSql}${where}${markers}) AS strangler_u) AS strangler_w
    WHERE strangler_m = 0 GROUP BY strangler_b`;
  return { text, values };
}
