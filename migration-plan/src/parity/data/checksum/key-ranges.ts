import { compareKeys, type KeyOrderKind } from "../key-order";
import type { KeyRange } from "./checksum-sql";

/**
 * Consecutive ranges covering `range`, cut at the boundary keys that lie strictly inside it (in key
 * order; others are dropped): (after, b1], (b1, b2], …, (bn, through]. The last range keeps the
 * range's own end, so an open-ended range stays open-ended and keys beyond the last boundary are covered.
 */
export function splitRange(
  range: KeyRange,
  boundaries: ReadonlyArray<readonly string[]>,
  kinds: readonly KeyOrderKind[],
): KeyRange[] {
  const inside: Array<readonly string[]> = [];
  for (const key of boundaries) {
    const previous = inside[inside.length - 1] ?? range.after;
    if (previous !== null && compareKeys(kinds, key, previous) <= 0) continue;
    if (range.through !== null && compareKeys(kinds, key, range.through) >= 0) continue;
    inside.push(key);
  }
  const ranges: KeyRange[] = [];
  let after = range.after;
  for (const key of inside) {
    ranges.push({ after, through: key });
    after = key;
  }
  ranges.push({ after, through: range.through });
  return ranges;
}
