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
 * seen is lifted into (C − 1, C): C − ½, C − ⅓, C − ¼ … in arrival order, so it ranks above the
 * snapshot row and below any later change of the row (which comes after its transaction's commit,
 * hence at C or above). That rare case is the only one with a fractional rank (positions are numeric).
 * Duplicates of one change still rank equal; a redone snapshot (a later point) still wins.
 */
export interface SeamPositions {
  /** The event with its ranked `source.lsn` (a new object when it changes). */
  rank(partitionKey: string, event: ChangeEvent): ChangeEvent;
}

const withLsn = (event: ChangeEvent, lsn: number): ChangeEvent => (lsn === event.source.lsn ? event : { ...event, source: { ...event.source, lsn } });

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
      return withLsn(event, seen.point - 1 / (seen.lifted + 1));
    },
  };
}
