import type { ParityTableReport } from "@strangler/ops-contract";
import { PARITY_PROGRESS_INTERVAL } from "../../defaults";

const number = (n: number): string => Math.round(n).toLocaleString("en-US");

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, "0")}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m`;
}

/** One progress line: rows compared of the estimate, rate, ETA and the differences so far. */
export function progressLine(table: ParityTableReport, estimate: number, rowsPerSecond: number): string {
  const c = table.counts;
  const of = estimate > c.processed ? ` / ~${number(estimate)}` : "";
  const left = estimate > c.processed && rowsPerSecond > 0 ? (estimate - c.processed) / rowsPerSecond : NaN;
  const differing = c.mismatched + c.onlyInLegacy + c.onlyInService;
  return `${table.service} ${table.legacyTable} → ${table.serviceTable}: ${number(c.processed)}${of} rows, ${number(rowsPerSecond)} rows/s, ETA ${duration(left)}, ${number(differing)} differing so far`;
}

/** Draws progress on a terminal at most once per PARITY_PROGRESS_INTERVAL, rewriting one line. */
export function createProgress(write: (text: string) => void, now: () => number = Date.now) {
  let last = Number.NEGATIVE_INFINITY;
  let table = "";
  let startedAt = 0;
  let startedWith = 0;
  return {
    update(report: ParityTableReport, estimate: number): void {
      const t = now();
      const id = `${report.service}/${report.legacyTable}`;
      if (id !== table) {
        if (table) write("\n");
        table = id;
        startedAt = t;
        startedWith = report.counts.processed;
        last = Number.NEGATIVE_INFINITY;
      }
      if (t - last < PARITY_PROGRESS_INTERVAL) return;
      last = t;
      const seconds = (t - startedAt) / 1000;
      const rate = seconds > 0 ? (report.counts.processed - startedWith) / seconds : 0;
      write(`\r\u001b[2K${progressLine(report, estimate, rate)}`);
    },
    done(): void {
      if (table) write("\n");
      table = "";
    },
  };
}
