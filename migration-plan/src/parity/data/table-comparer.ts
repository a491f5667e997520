import type { ParityDifference, ParityTableReport } from "@strangler/ops-contract";
import type { ParityRunStore } from "@strangler/toolkit-store";
import type pg from "pg";
import { compareKeys } from "./key-order";
import { type RecheckDeps, type Suspect, classifyRows, recheckSuspects } from "./lag-recheck";
import { keyOfRow } from "./row-compare";
import { RowStream, type TextRow, openSideScan } from "./side-reader";
import type { ParityTablePlan } from "./table-plan";

/** Connections of one table's comparison: two for the scans (each in its own snapshot), two for re-checks. */
export interface ParityConnections {
  legacyScan: pg.Client;
  serviceScan: pg.Client;
  legacy: pg.Client;
  service: pg.Client;
}

export interface TableComparerContext {
  store: ParityRunStore;
  runId: string;
  connections: ParityConnections;
  recheck: Omit<RecheckDeps, "plan" | "legacy" | "service">;
  limits: { fetchSize: number; checkpointRows: number; checkpointInterval: number; maxSuspects: number };
  progress?: (report: ParityTableReport) => void;
  warn(message: string): void;
  signal?: AbortSignal;
  now?: () => number;
}

/** Key bounds of a scan: after a key (exclusive), from a key and through a key (inclusive). */
export interface ScanBounds {
  after: readonly string[] | null;
  from?: readonly string[];
  through?: readonly string[];
}

/** Compares one table's rows and keeps its report: counts, per-column counts, resume key, checkpoints. */
export interface TableComparer {
  readonly report: ParityTableReport;
  /** Merges both sides' rows within the bounds in key order (both scans from `bounds`, never before the resume key). */
  compareScan(bounds: ScanBounds): Promise<void>;
  /** Counts `rows` keys as matching without reading them (a checksum range that agrees) and moves the resume key to `lastKey`. */
  countMatching(rows: number, lastKey: readonly string[]): Promise<void>;
  /** Re-checks what is pending and saves the final report (done). */
  finish(): Promise<ParityTableReport>;
}

const CAST_FAILED = /^22/;

export function createTableComparer(
  plan: ParityTablePlan,
  start: ParityTableReport,
  ctx: TableComparerContext,
): TableComparer {
  const now = ctx.now ?? Date.now;
  const report: ParityTableReport = structuredClone(start);
  report.status = "running";
  report.startedAt ??= new Date(now()).toISOString();
  let current = plan;
  let suspects: Suspect[] = [];
  let sinceCheckpoint = 0;
  let checkpointAt = now();

  const record = (difference: ParityDifference) => {
    if (difference.kind === "mismatched") {
      report.counts.mismatched += 1;
      for (const column of difference.columns) report.columns[column] = (report.columns[column] ?? 0) + 1;
    } else if (difference.kind === "only_in_legacy") report.counts.onlyInLegacy += 1;
    else if (difference.kind === "only_in_service") report.counts.onlyInService += 1;
  };

  async function checkpoint(status: ParityTableReport["status"]): Promise<void> {
    const outcome = await recheckSuspects(suspects, {
      ...ctx.recheck,
      plan: current,
      legacy: ctx.connections.legacy,
      service: ctx.connections.service,
    });
    suspects = [];
    outcome.differences.forEach(record);
    report.counts.inFlight += outcome.inFlight;
    report.counts.unsettled += outcome.unsettled.length;
    report.status = status;
    if (status === "done") {
      report.finishedAt = new Date(now()).toISOString();
      const c = report.counts;
      report.equal = c.mismatched + c.onlyInLegacy + c.onlyInService === 0;
    }
    await ctx.store.checkpoint({
      runId: ctx.runId,
      table: structuredClone(report),
      differences: [...outcome.differences, ...outcome.unsettled],
    });
    sinceCheckpoint = 0;
    checkpointAt = now();
  }

  async function maybeCheckpoint(): Promise<void> {
    if (
      sinceCheckpoint >= ctx.limits.checkpointRows ||
      suspects.length >= ctx.limits.maxSuspects ||
      now() - checkpointAt >= ctx.limits.checkpointInterval
    )
      await checkpoint("running");
  }

  /** Counts a key the merge reached: matching, or a suspect the next checkpoint re-checks. */
  const visit = (key: string[], differs: boolean) => {
    report.counts.processed += 1;
    sinceCheckpoint += 1;
    report.lastKey = key;
    if (differs) suspects.push({ key });
    else report.counts.matching += 1;
  };

  async function mergeOnce(bounds: ScanBounds): Promise<void> {
    const after = report.lastKey ?? bounds.after;
    const scan = (side: "legacy" | "service") =>
      openSideScan(
        side === "legacy" ? ctx.connections.legacyScan : ctx.connections.serviceScan,
        {
          tableSql: side === "legacy" ? current.legacySql : current.serviceSql,
          select: side === "legacy" ? current.legacySelect : current.serviceSelect,
          order: side === "legacy" ? current.legacyOrder : current.serviceOrder,
          kinds: current.keyKinds,
          after: after ?? null,
          ...(bounds.from && !after ? { from: bounds.from } : {}),
          ...(bounds.through ? { through: bounds.through } : {}),
        },
        { fetchSize: ctx.limits.fetchSize, cursor: `strangler_parity_${side}` },
      );
    const [legacyScan, serviceScan] = await Promise.all([scan("legacy"), scan("service")]);
    try {
      const legacy = new RowStream(legacyScan);
      const service = new RowStream(serviceScan);
      for (;;) {
        if (ctx.signal?.aborted) return;
        const [l, s] = [legacy.current() ?? (await legacy.peek()), service.current() ?? (await service.peek())];
        if (l === null && s === null) return;
        const order =
          l === null ? 1 : s === null ? -1 : compareKeys(current.keyKinds, keyOfRow(current, l), keyOfRow(current, s));
        if (order < 0) {
          visit(keyOfRow(current, l as TextRow), true);
          legacy.take();
        } else if (order > 0) {
          visit(keyOfRow(current, s as TextRow), true);
          service.take();
        } else {
          const key = keyOfRow(current, l as TextRow);
          visit(key, classifyRows(current, key, l as TextRow, s as TextRow) !== null);
          legacy.take();
          service.take();
        }
        if (legacy.current() === null || service.current() === null) {
          ctx.progress?.(report);
          await maybeCheckpoint();
        }
      }
    } finally {
      await Promise.all([legacyScan.close(), serviceScan.close()]);
    }
  }

  return {
    report,
    async compareScan(bounds) {
      for (;;) {
        try {
          await mergeOnce(bounds);
          return;
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          if (current === plan && typeof code === "string" && CAST_FAILED.test(code)) {
            ctx.warn(
              `${plan.legacyTable}: a legacy value does not fit the service column's type (${(error as Error).message}); the rest of the table is compared as the legacy text`,
            );
            current = { ...plan, legacySelect: plan.legacySelectUncast };
            continue;
          }
          throw error;
        }
      }
    },
    async countMatching(rows, lastKey) {
      report.counts.processed += rows;
      report.counts.matching += rows;
      sinceCheckpoint += rows;
      report.lastKey = [...lastKey];
      ctx.progress?.(report);
      await maybeCheckpoint();
    },
    async finish() {
      await checkpoint(ctx.signal?.aborted ? "running" : "done");
      return structuredClone(report);
    },
  };
}
