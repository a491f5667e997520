import { KEEP_TEXT_TYPES } from "@strangler/cdc";
import type pg from "pg";
import {
  boundariesSql,
  type ChecksumSide,
  type KeyRange,
  lastKeySql,
  rangeChecksumsSql,
  type SqlQuery,
} from "./checksum-sql";

/** One range of one side: how many rows it holds and the sum of their hashes (decimal text, "0" when empty). */
export interface RangeSum {
  rows: number;
  hash: string;
}

async function arrays(client: pg.Client, query: SqlQuery): Promise<Array<Array<string | null>>> {
  const result = await client.query<Array<string | null>>({
    text: query.text,
    values: query.values,
    rowMode: "array",
    types: KEEP_TEXT_TYPES,
  });
  return result.rows;
}

/** Every `step`-th key of a range, in key order, at most `limit` of them (null: all). */
export async function readBoundaries(
  client: pg.Client,
  side: ChecksumSide,
  range: KeyRange,
  step: number,
  limit: number | null,
): Promise<string[][]> {
  return (await arrays(client, boundariesSql(side, range, step, limit))) as string[][];
}

/** Count and hash sum of each of consecutive ranges (one statement: one snapshot, one pass). */
export async function readRangeChecksums(
  client: pg.Client,
  side: ChecksumSide,
  ranges: readonly KeyRange[],
): Promise<RangeSum[]> {
  const sums: RangeSum[] = ranges.map(() => ({ rows: 0, hash: "0" }));
  for (const [bucket, rows, hash] of await arrays(client, rangeChecksumsSql(side, ranges))) {
    const sum = sums[Number(bucket)];
    if (sum) {
      sum.rows = Number(rows);
      sum.hash = hash ?? "0";
    }
  }
  return sums;
}

/** The last key of a range; null when it holds no row. */
export async function readLastKey(client: pg.Client, side: ChecksumSide, range: KeyRange): Promise<string[] | null> {
  const [row] = await arrays(client, lastKeySql(side, range));
  return (row as string[] | undefined) ?? null;
}
