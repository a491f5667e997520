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
  hash: RowHash;
}

/**
 * How a row's text is hashed: PostgreSQL's own 64-bit text hash (fast; the same on servers that
 * agree on a probe, see checksum-compare), or a 60-bit slice of its md5 (slower, the same anywhere).
 */
export type RowHash = "hashtext" | "md5";

/** A probe both servers hash; equal results mean hashtextextended agrees between them. */
export const HASH_PROBE_SQL = `SELECT hashtextextended('strangler parity ü 😀' COLLATE "C", 0)::text AS probe`;

/** An ARRAY of text values as one text: unambiguous (NULL apart from "NULL", quotes escaped) and without the 100-argument limit of a function. */
function arrayText(values: readonly string[]): string {
  return `ARRAY[${values.map((value) => `(${value})`).join(", ")}]::text[]::text`;
}

/** Both sides' checksum reads of a table plan. */
export function checksumSides(
  plan: ParityTablePlan,
  hash: RowHash = "md5",
): { legacy: ChecksumSide; service: ChecksumSide } {
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
      hash,
    },
    service: {
      tableSql: plan.serviceSql,
      keyText: serviceKeyText,
      order: plan.serviceOrder,
      kinds: plan.keyKinds,
      rowText: arrayText([...serviceKeyText, ...plan.compared.map((column) => `${quoteIdentifier(column)}::text`)]),
      hash,
    },
  };
}

/** A row's hash as a bigint: summed over a range it does not depend on row order (datafold's data-diff does the same). */
export function rowHashSql(side: ChecksumSide): string {
  if (side.hash === "hashtext") return `hashtextextended((${side.rowText}) COLLATE "C", 0)`;
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
 * Every `step`-th key of a range in key order (at most `limit`, when given), as the service key's
 * text: the boundaries of ranges of `step` rows. One pass over the key (its index, or a sort of a text key).
 */
export function boundariesSql(side: ChecksumSide, range: KeyRange, step: number, limit: number | null): SqlQuery {
  const values: unknown[] = [];
  const where = rangeWhereSql(side, range, values);
  const keys = side.keyText.map((_, i) => `strangler_k${i}`);
  const text = `SELECT ${keys.join(", ")} FROM (SELECT ${side.keyText.map((sql, i) => `${sql} AS strangler_k${i}`).join(", ")},
    row_number() OVER (ORDER BY ${side.order.join(", ")}) AS strangler_rn FROM ${side.tableSql}${where}) AS strangler_s
    WHERE strangler_rn % ${Math.max(1, Math.floor(step))} = 0 ORDER BY strangler_rn${
      limit === null ? "" : ` LIMIT ${Math.max(1, Math.floor(limit))}`
    }`;
  return { text, values };
}

/** The last key of a range (the end of an open-ended range that agrees). */
export function lastKeySql(side: ChecksumSide, range: KeyRange): SqlQuery {
  const values: unknown[] = [];
  const where = rangeWhereSql(side, range, values);
  return {
    // Aliased, so the bare names of ORDER BY mean the key columns, not the text output columns of the same name.
    text: `SELECT ${side.keyText.map((sql, i) => `${sql} AS strangler_k${i}`).join(", ")} FROM ${side.tableSql}${where} ORDER BY ${side.order
      .map((order) => `${order} DESC`)
      .join(", ")} LIMIT 1`,
    values,
  };
}

const TYPE: Record<KeyOrderKind, string> = { integer: "int8", uuid: "uuid", text: "text" };

/**
 * A key and the inner range ends as values width_bucket compares (a binary search over the ends):
 * one column as itself, several as a ROW, every part typed alike on both sides (records compare
 * column by column, each text column under its own collation: "C" here, as the key order).
 */
function bucketOperands(side: ChecksumSide, ends: ReadonlyArray<readonly string[]>, values: unknown[]) {
  const params = side.kinds.map((kind, i) => {
    values.push(ends.map((end) => end[i] as string));
    return `$${values.length}::${TYPE[kind]}[]`;
  });
  const typed = side.order.map((order, i) => `(${order})::${TYPE[side.kinds[i] as KeyOrderKind]}`);
  if (side.order.length === 1) return { key: side.order[0] as string, ends: params[0] as string };
  const parts = side.kinds.map((kind, i) => (kind === "text" ? `strangler_e${i} COLLATE "C"` : `strangler_e${i}`));
  return {
    key: `ROW(${typed.join(", ")})`,
    ends: `ARRAY(SELECT ROW(${parts.join(", ")}) FROM unnest(${params.join(", ")}) WITH ORDINALITY
      AS strangler_e(${side.kinds.map((_, i) => `strangler_e${i}`).join(", ")}, strangler_i) ORDER BY strangler_i)`,
  };
}

/**
 * Count and hash sum of consecutive ranges in one pass over the rows of their whole span: a row's
 * bucket is the number of inner range ends before its key (width_bucket counts the ends at or
 * before it; a range includes its end, so a key equal to an end belongs to the bucket before). No
 * sort: the rows are read in any order and grouped by bucket. Buckets without rows are absent.
 */
export function rangeChecksumsSql(side: ChecksumSide, ranges: readonly KeyRange[]): SqlQuery {
  const first = ranges[0];
  const last = ranges[ranges.length - 1];
  if (!first || !last) throw new Error("rangeChecksumsSql needs at least one range");
  const values: unknown[] = [];
  const where = rangeWhereSql(side, { after: first.after, through: last.through }, values);
  const ends = ranges.slice(0, -1).map((range) => range.through as readonly string[]);
  let rows = `SELECT 0 AS strangler_b, ${rowHashSql(side)} AS strangler_h FROM ${side.tableSql}${where}`;
  if (ends.length > 0) {
    const operands = bucketOperands(side, ends, values);
    // OFFSET 0 keeps each subquery apart, so width_bucket runs once a row and the grouping is estimated
    // at a few buckets (a hash aggregate), not at one per key (a sort of the whole span).
    rows = `SELECT CASE WHEN strangler_f > 0 AND strangler_k = (${operands.ends})[strangler_f] THEN strangler_f - 1 ELSE strangler_f END
      AS strangler_b, strangler_h FROM (SELECT ${operands.key} AS strangler_k, width_bucket(${operands.key}, ${operands.ends}) AS strangler_f,
      ${rowHashSql(side)} AS strangler_h FROM ${side.tableSql}${where} OFFSET 0) AS strangler_r OFFSET 0`;
  }
  const text = `SELECT strangler_b::text AS bucket, count(*)::text AS rows, sum(strangler_h)::text AS hash
    FROM (${rows}) AS strangler_w GROUP BY strangler_b`;
  return { text, values };
}
