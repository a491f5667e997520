import type { ParityDifference, ParityRunReport, ParityTableReport } from "@strangler/ops-contract";

/** What a new run records: its tables, in the order it compares them (status pending, counts zero). */
export interface NewParityRun {
  /** Options the run was started with (service/table filters, mode, owner), kept for --resume. */
  options: Record<string, unknown>;
  lagAware: boolean;
  tables: ParityTableReport[];
}

/** One checkpoint of one table: its report so far and the differences found since the last checkpoint. */
export interface ParityCheckpoint {
  runId: string;
  table: ParityTableReport;
  /** Appended to the run's differences for table.legacyTable, in one transaction with the report. */
  differences: ParityDifference[];
}

/**
 * Data parity runs in the toolkit database: each run's per-table reports (counts, resume key,
 * status) and the full list of its differences. A checkpoint is atomic, so a run killed at any
 * moment resumes from a report whose counts and differences agree.
 */
export interface ParityRunStore {
  /** Starts a run (status running); returns it with its id and start time. */
  createRun(run: NewParityRun): Promise<ParityRunReport & { options: Record<string, unknown> }>;
  /** Saves one table's progress and appends its new differences, atomically. */
  checkpoint(checkpoint: ParityCheckpoint): Promise<void>;
  /** Ends a run (done, failed or interrupted), with the files it wrote and any warnings. */
  finishRun(
    runId: string,
    outcome: { status: "done" | "failed" | "interrupted"; files: ParityRunReport["files"]; warnings: string[] },
  ): Promise<void>;
  /** Marks a run running again (a resume), adding warnings. */
  reopenRun(runId: string, warnings: string[]): Promise<void>;
  /** A run with its tables; undefined when unknown. */
  run(runId: string): Promise<(ParityRunReport & { options: Record<string, unknown> }) | undefined>;
  /** Most recent first (by start), optionally only those not done (resumable). */
  runs(query?: { limit?: number; unfinished?: boolean }): Promise<ParityRunReport[]>;
  /** A table's differences in the order found, a page at a time (after: the position of the last one read). */
  differences(
    runId: string,
    legacyTable: string,
    page: { after?: number; limit: number },
  ): Promise<Array<ParityDifference & { position: number }>>;
  close(): Promise<void>;
}
