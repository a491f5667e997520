import { randomBytes } from "node:crypto";
import {
  parityDifferenceSchema,
  parityRunReportSchema,
  parityTableReportSchema,
  type ParityRunReport,
} from "@strangler/ops-contract";
import { PARITY_RUNS_LIMIT } from "../defaults";
import { rejected, storable, validDocument as valid } from "../records/contract-document";
import type { NewParityRun, ParityCheckpoint, ParityRunStore } from "./parity-run-store";

export { rejected };

/** A run as stored: its report and the options it was started with. */
export type StoredParityRun = ParityRunReport & { options: Record<string, unknown> };
/** How a run ends (finishRun's second argument). */
export type ParityRunOutcome = Parameters<ParityRunStore["finishRun"]>[1];

const differencesSchema = parityDifferenceSchema.array();
const outcomeSchema = parityRunReportSchema.pick({ files: true, warnings: true });
const warningsSchema = parityRunReportSchema.shape.warnings;
const FINISHED = new Set(["done", "failed", "interrupted"]);

/** A new run's id: `pr-`, its start time (so ids sort by start) and a random part (two runs in one millisecond). */
export function parityRunId(now: number): string {
  return `pr-${new Date(now).toISOString().replace(/[-:.]/g, "")}-${randomBytes(4).toString("hex")}`;
}

/** The new run checked against the operations contract: tables valid and each named once. */
export function validNewRun(run: NewParityRun): NewParityRun {
  const doing = "creating a parity run";
  if (typeof run.options !== "object" || run.options === null || Array.isArray(run.options))
    throw rejected(doing, "options must be an object");
  if (typeof run.lagAware !== "boolean") throw rejected(doing, "lagAware must be a boolean");
  const tables = run.tables.map((table) => valid(parityTableReportSchema, table, doing));
  const names = new Set(tables.map((table) => table.legacyTable));
  if (names.size !== tables.length) throw rejected(doing, "a legacy table is listed twice");
  // As JSON, the way PostgreSQL keeps them (a Date becomes its ISO text, undefined fields go).
  const options = storable(JSON.parse(JSON.stringify(run.options)) as Record<string, unknown>);
  return { options, lagAware: run.lagAware, tables };
}

/** The checkpoint checked against the operations contract (its report and every difference). */
export function validCheckpoint(checkpoint: ParityCheckpoint): ParityCheckpoint {
  const doing = `checkpointing parity run ${checkpoint.runId}`;
  return {
    runId: checkpoint.runId,
    table: valid(parityTableReportSchema, checkpoint.table, doing),
    differences: valid(differencesSchema, checkpoint.differences, doing),
  };
}

/** The outcome checked: a final status, files and warnings as the operations contract has them. */
export function validOutcome(runId: string, outcome: ParityRunOutcome): ParityRunOutcome {
  const doing = `finishing parity run ${runId}`;
  if (!FINISHED.has(outcome.status)) throw rejected(doing, `status ${String(outcome.status)} does not end a run`);
  return { status: outcome.status, ...valid(outcomeSchema, outcome, doing) };
}

/** Warnings checked as the operations contract has them. */
export function validWarnings(runId: string, warnings: string[]): string[] {
  return valid(warningsSchema, warnings, `reopening parity run ${runId}`);
}

/** A page of differences checked: after a position (0: from the start), at most limit of them. */
export function validPage(page: { after?: number; limit: number }): { after: number; limit: number } {
  const after = page.after ?? 0;
  if (!Number.isSafeInteger(after) || after < 0)
    throw rejected("reading parity differences", "after must be a position");
  if (!Number.isSafeInteger(page.limit) || page.limit < 0)
    throw rejected("reading parity differences", "limit must be a non-negative integer");
  return { after, limit: page.limit };
}

/** A runs() query with its defaults: at most PARITY_RUNS_LIMIT runs, finished ones included. */
export function validRunsQuery(query: { limit?: number; unfinished?: boolean }): {
  limit: number;
  unfinished: boolean;
} {
  const limit = query.limit ?? PARITY_RUNS_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 0)
    throw rejected("listing parity runs", "limit must be a non-negative integer");
  return { limit, unfinished: query.unfinished ?? false };
}

/** The run's files after a finish: the new ones added, an earlier entry for the same path replaced (a resume rewrote it). */
export function mergeFiles(known: ParityRunReport["files"], added: ParityRunReport["files"]): ParityRunReport["files"] {
  const paths = new Set(added.map((file) => file.path));
  return [...known.filter((file) => !paths.has(file.path)), ...added];
}

/** A run read back, checked against the operations contract (a row another version wrote wrong fails here, not in a caller). */
export function storedRun(fields: StoredParityRun): StoredParityRun {
  const { options, ...report } = fields;
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw rejected(`reading parity run ${report.runId}`, "its options are not an object");
  return { ...valid(parityRunReportSchema, report, `reading parity run ${report.runId}`), options };
}
