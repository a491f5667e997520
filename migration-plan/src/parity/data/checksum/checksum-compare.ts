import type pg from "pg";
import {
  PARITY_CHECKSUM_BATCH_RANGES,
  PARITY_CHECKSUM_FANOUT,
  PARITY_CHECKSUM_LEAF_ROWS,
  PARITY_CHECKSUM_RANGE_ROWS,
} from "../../../defaults";
import type { ChecksumCompare } from "../data-parity-run";
import { readBoundaries, readLastKey, readRangeChecksums, type RangeSum } from "./checksum-queries";
import { type ChecksumSide, checksumSides, HASH_PROBE_SQL, type KeyRange, type RowHash } from "./checksum-sql";
import { splitRange } from "./key-ranges";

/** How checksum mode cuts a table into ranges. */
export interface ChecksumLimits {
  /** Rows per top-level range. */
  rangeRows: number;
  /** Top-level ranges per statement. */
  batchRanges: number;
  /** Sub-ranges per differing range. */
  fanout: number;
  /** A differing range of at most this many rows is compared row by row. */
  leafRows: number;
  /** The row hash; by default hashtextextended when both servers agree on a probe, else md5. */
  rowHash?: RowHash;
}

const DEFAULT_LIMITS: ChecksumLimits = {
  rangeRows: PARITY_CHECKSUM_RANGE_ROWS,
  batchRanges: PARITY_CHECKSUM_BATCH_RANGES,
  fanout: PARITY_CHECKSUM_FANOUT,
  leafRows: PARITY_CHECKSUM_LEAF_ROWS,
};

/** hashtextextended where both servers hash a probe alike (its result may differ between major versions or byte orders), else md5. */
async function rowHashBothAgreeOn(legacy: pg.Client, service: pg.Client): Promise<RowHash> {
  const probe = (client: pg.Client) =>
    client.query<{ probe: string }>(HASH_PROBE_SQL).then(
      (result) => result.rows[0]?.probe ?? null,
      () => null,
    );
  const [l, s] = await Promise.all([probe(legacy), probe(service)]);
  return l !== null && l === s ? "hashtext" : "md5";
}

/** A value that does not fit the service column's type (invalid_text_representation, numeric_value_out_of_range, …). */
const CAST_FAILED = /^22/;

/** The scan's bounds of a range for TableComparer.compareScan. */
const scanBounds = (range: KeyRange) => ({ after: range.after, ...(range.through ? { through: range.through } : {}) });

/**
 * Checksum mode (datafold data-diff's approach): the key space after the resume key is cut into
 * ranges at every `rangeRows`-th legacy key; each database computes per range the row count and
 * the sum of a hash of each row's canonical text (the legacy side through the mapping in SQL);
 * ranges that agree are counted as matching unread, ranges that differ are split again, depth
 * first and in key order, down to a row-by-row compare of `leafRows` rows at most. The last range
 * is open-ended, so keys only in the service table past the last legacy key are compared too.
 */
export function createChecksumCompare(limits: Partial<ChecksumLimits> = {}): ChecksumCompare {
  const { rangeRows, batchRanges, fanout, leafRows, rowHash } = { ...DEFAULT_LIMITS, ...limits };
  return async (plan, comparer, ctx) => {
    const { legacyScan, serviceScan } = ctx.connections;
    const sides = checksumSides(plan, rowHash ?? (await rowHashBothAgreeOn(legacyScan, serviceScan)));
    const report = comparer.report;
    const counted = (report.ranges ??= { compared: 0, differing: 0 });
    const aborted = () => ctx.signal?.aborted === true;

    // Both databases at once. A legacy value that does not cast to the service type fails its
    // statement: the ranges are then taken as differing (the row compare falls back to the legacy text).
    async function checksums(ranges: KeyRange[]): Promise<{ legacy: RangeSum[] | null; service: RangeSum[] }> {
      const [legacy, service] = await Promise.allSettled([
        readRangeChecksums(legacyScan, sides.legacy, ranges),
        readRangeChecksums(serviceScan, sides.service, ranges),
      ]);
      if (service.status === "rejected") throw service.reason;
      if (legacy.status === "fulfilled") return { legacy: legacy.value, service: service.value };
      const code = (legacy.reason as { code?: unknown }).code;
      if (typeof code === "string" && CAST_FAILED.test(code)) return { legacy: null, service: service.value };
      throw legacy.reason;
    }

    async function countAgreeing(range: KeyRange, rows: number): Promise<void> {
      if (range.through) return comparer.countMatching(rows, range.through);
      if (rows === 0) return;
      const last = await readLastKey(legacyScan, sides.legacy, range);
      if (last) await comparer.countMatching(rows, last);
    }

    // A text key's order has no index: each statement on a sub-range would read the whole table,
    // so a differing range of a text key is compared row by row at once.
    const indexed = !plan.keyKinds.includes("text");

    async function descend(range: KeyRange, legacyRows: number | null, serviceRows: number): Promise<void> {
      const splitBy: "legacy" | "service" = legacyRows !== null && legacyRows > serviceRows ? "legacy" : "service";
      const rows = splitBy === "legacy" ? (legacyRows as number) : serviceRows;
      if (indexed && Math.max(rows, legacyRows ?? 0) > leafRows) {
        const client: pg.Client = splitBy === "legacy" ? legacyScan : serviceScan;
        const side: ChecksumSide = sides[splitBy];
        const boundaries = await readBoundaries(client, side, range, Math.ceil(rows / fanout), fanout);
        const parts = splitRange(range, boundaries, plan.keyKinds);
        // Fewer than two parts: the rows moved since they were counted; read the range instead.
        if (parts.length > 1) return compareRanges(parts);
      }
      await comparer.compareScan(scanBounds(range));
    }

    // Depth first and in key order, so the resume key only moves forward. When most ranges of a
    // statement differ, descending costs more than reading them: the rest is compared row by row.
    async function compareRanges(ranges: KeyRange[]): Promise<void> {
      const { legacy, service } = await checksums(ranges);
      const agrees = ranges.map((_, i) => {
        const l = legacy?.[i];
        const s = service[i] as RangeSum;
        return l !== undefined && l.rows === s.rows && l.hash === s.hash;
      });
      counted.compared += ranges.length;
      const differing = agrees.filter((agree) => !agree).length;
      counted.differing += differing;
      const mostDiffer = ranges.length > 2 && differing * 2 > ranges.length;
      for (const [i, range] of ranges.entries()) {
        if (aborted()) return;
        const rows = (legacy?.[i] as RangeSum | undefined)?.rows ?? null;
        if (agrees[i]) await countAgreeing(range, rows as number);
        else if (mostDiffer) {
          const last = ranges[ranges.length - 1] as KeyRange;
          return comparer.compareScan(scanBounds({ after: range.after, through: last.through }));
        } else await descend(range, rows, (service[i] as RangeSum).rows);
      }
    }

    // The boundaries in one statement (one pass over the key: a text key is sorted once), the
    // checksums a batch of ranges at a time: an integer or uuid key's index serves each batch's
    // span; a text key's order has no index, so its ranges go in one statement (one pass).
    const after = report.lastKey;
    const boundaries = await readBoundaries(legacyScan, sides.legacy, { after, through: null }, rangeRows, null);
    const ranges = splitRange({ after, through: null }, boundaries, plan.keyKinds);
    const batch = indexed ? batchRanges : ranges.length;
    for (let first = 0; first < ranges.length && !aborted(); first += batch)
      await compareRanges(ranges.slice(first, first + batch));
  };
}

/** Checksum mode with the default range sizes (defaults.ts). */
export const compareByChecksum: ChecksumCompare = createChecksumCompare();
