import { z } from "zod";

const count = z.number().int().nonnegative();

/**
 * Row counts of one table's data parity. The categories are disjoint and add up to `processed`
 * (every key seen on either side): matching, mismatched (same key, a column differs), only in the
 * legacy table, only in the service table, in flight (differed when first read, agreed once CDC had
 * applied past the position read) and unsettled (still changing after every re-check: not reported
 * as a difference, listed apart).
 */
export const parityCountsSchema = z.object({
  processed: count,
  matching: count,
  mismatched: count,
  onlyInLegacy: count,
  onlyInService: count,
  inFlight: count,
  unsettled: count,
});

/** A difference that persisted: its key (the service table's key columns, as PostgreSQL text) and, for a mismatch, the columns that differ. */
export const parityDifferenceSchema = z.object({
  kind: z.enum(["mismatched", "only_in_legacy", "only_in_service", "unsettled"]),
  key: z.array(z.string()),
  /** Service-table columns that differ (mismatched only). */
  columns: z.array(z.string()),
});

/** One table's data parity in a run. */
export const parityTableReportSchema = z.object({
  service: z.string(),
  /** The legacy table and the service table (canonical names: `users`, `sales."Order"`). */
  legacyTable: z.string(),
  serviceTable: z.string(),
  /** The service table's key columns, in key order (the order of each difference's key). */
  keyColumns: z.array(z.string()),
  mode: z.enum(["full", "checksum"]),
  /** Which side owns the table's writes: the fix-up script makes the other side equal to it. */
  owner: z.enum(["legacy", "service"]),
  status: z.enum(["pending", "running", "done", "failed"]),
  counts: parityCountsSchema,
  /** Mismatched rows per differing service column. */
  columns: z.record(z.string(), count),
  /** The last key compared (resume point); null before the first. */
  lastKey: z.array(z.string()).nullable(),
  /** Checksum mode: key ranges compared by checksum, and how many of them had to be descended into. */
  ranges: z.object({ compared: count, differing: count }).optional(),
  /** True when done with nothing mismatched or only on one side. */
  equal: z.boolean(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().optional(),
});

/** A data parity run (`strangler parity data --json`, the dashboard's parity page). */
export const parityRunReportSchema = z.object({
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.enum(["running", "done", "failed", "interrupted"]),
  /** Whether differences were waited out against the CDC streams' positions (the CDC status was readable). */
  lagAware: z.boolean(),
  warnings: z.array(z.string()),
  tables: z.array(parityTableReportSchema),
  /** Files written by the run (differing keys, fix-up scripts), when it wrote any. */
  files: z.array(
    z.object({ kind: z.enum(["keys", "fixup", "report"]), table: z.string().nullable(), path: z.string() }),
  ),
});

export type ParityCounts = z.output<typeof parityCountsSchema>;
export type ParityDifference = z.output<typeof parityDifferenceSchema>;
export type ParityTableReport = z.output<typeof parityTableReportSchema>;
export type ParityRunReport = z.output<typeof parityRunReportSchema>;

/** All-zero counts. */
export function emptyParityCounts(): ParityCounts {
  return { processed: 0, matching: 0, mismatched: 0, onlyInLegacy: 0, onlyInService: 0, inFlight: 0, unsettled: 0 };
}
