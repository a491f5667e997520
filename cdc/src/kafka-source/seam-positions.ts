import type { ChangeEvent } from "../envelope/debezium-envelope";

/** True for Debezium's snapshot reads: `source.snapshot` is "true", "first", "last", "incremental"…, not "false". */
export function isSnapshotEvent(event: ChangeEvent): boolean {
  const flag = event.source.snapshot;
  return flag === true || (typeof flag === "string" && flag !== "false");
}

/**
 * The sink's version guard needs a streamed change to rank above the snapshot row it follows, but
 * Debezium gives snapshot rows the slot's consistent point C as their LSN and streamed changes their
 * own record's LSN, which can be exactly C (the first WAL record after the slot was created) or,
 * for a transaction that was running while the slot was created and committed after it, below C.
 * Both would be dropped as "not newer". So a snapshot row ranks at C − 1: still above every change
 * committed before C (its record and its commit record both lie before C), below every streamed one.
 * Per partition (a row's events share one, in order), a streamed change below the last snapshot point
 * seen is lifted into (C − 1, C): C − 1 + k·δ for the k-th such change in arrival order, δ the
 * spacing of doubles at C (at least 2^-20), so it ranks above the snapshot row and below any later
 * change of the row (which comes after its transaction's commit, hence at C or above). The ranks are
 * exact multiples of δ, computed without rounding, and the sink writes each as its shortest decimal
 * into its numeric positions (distinct doubles, distinct decimals, same order): two lifted changes
 * never rank equal, up to 1/δ − 1 of them per partition (2^20 − 1 below 2^32 bytes of WAL, 65,535 at
 * 2^36, 255 at 2^44; further ones stay at the last rank, see ADR 0008). The sink's events carry
 * `source.lsn` as a number, which is why the ranks are doubles and not decimal strings.
 * Duplicates of one change still rank equal; a redone snapshot (a later point) still wins.
 *
 * Lifting never switches off: once the transactions that were open at the slot's creation have
 * committed, no streamed change is below C any more, so nothing is lifted (source.snapshot "last"
 * marks the end of the snapshot, not of those transactions). The point and the count are committed
 * with each offset (`save` → Kafka commit metadata) and restored on assignment (`restore`), so a
 * restart or a rebalance between the snapshot and those commits ranks the replay the same way.
 */
export interface SeamPositions {
  /** The event with its ranked `source.lsn` (a new object when it changes). */
  rank(partitionKey: string, event: ChangeEvent): ChangeEvent;
  /** The partition's seam as offset-commit metadata ("seam:v1:<C>:<lifted>"), null before any snapshot row. */
  save(partitionKey: string): string | null;
  /**
   * Restores a partition's seam from the metadata of its committed offset (false when there is none
   * or it is not ours); a later point, or more lifted ranks, this consumer saw itself are kept.
   */
  restore(partitionKey: string, metadata: string | null | undefined): boolean;
}

const withLsn = (event: ChangeEvent, lsn: number): ChangeEvent =>
  lsn === event.source.lsn ? event : { ...event, source: { ...event.source, lsn } };

/** The smallest step between doubles at `point` (its ulp), at least 2^-20. */
function liftStep(point: number): number {
  let exponent = Math.floor(Math.log2(point));
  while (2 ** exponent > point) exponent -= 1;
  while (2 ** (exponent + 1) <= point) exponent += 1;
  return 2 ** Math.max(exponent - 52, -20);
}

/** The k-th (1-based) lifted rank below `point`: exact, strictly increasing in k, below `point`. */
export function liftedRank(point: number, k: number): number {
  const step = liftStep(point);
  const last = Math.round(1 / step) - 1;
  return point - 1 + Math.min(k, last) * step;
}

const METADATA = /^seam:v1:(\d+):(\d+)$/;

export function createSeamPositions(): SeamPositions {
  const points = new Map<string, { point: number; lifted: number }>();
  return {
    rank(partitionKey, event) {
      const lsn = event.source.lsn;
      if (isSnapshotEvent(event)) {
        const seen = points.get(partitionKey);
        if (!seen || seen.point !== lsn) points.set(partitionKey, { point: lsn, lifted: 0 });
        return withLsn(event, Math.max(0, lsn - 1));
      }
      const seen = points.get(partitionKey);
      if (!seen || lsn >= seen.point) return event;
      seen.lifted += 1;
      return withLsn(event, liftedRank(seen.point, seen.lifted));
    },
    save(partitionKey) {
      const seen = points.get(partitionKey);
      return seen ? `seam:v1:${seen.point}:${seen.lifted}` : null;
    },
    restore(partitionKey, metadata) {
      const match = metadata ? METADATA.exec(metadata) : null;
      if (!match) return false;
      const committed = { point: Number(match[1]), lifted: Number(match[2]) };
      const seen = points.get(partitionKey);
      // What this consumer saw itself is never rewound: ranks already handed out stay taken (a replay
      // of them ranks higher, which re-applies the same changes in the same order: harmless).
      if (!seen || committed.point > seen.point) points.set(partitionKey, committed);
      else if (committed.point === seen.point) seen.lifted = Math.max(seen.lifted, committed.lifted);
      return true;
    },
  };
}
