import type { ShadowResultBatch, ShadowResultStore } from "@strangler/toolkit-store";
import type { RateLimitedLog } from "../../logging/rate-limited-log";
import { createBacklogWriter, type BacklogWriter } from "../../store-writer/backlog-writer";

/** Writes shadow result batches to the store in order, keeping a bounded backlog while the store fails. */
export type ResultWriter = BacklogWriter<ShadowResultBatch>;

const isEmpty = (batch: ShadowResultBatch) =>
  batch.minutes.length === 0 && batch.noise.length === 0 && batch.examples.length === 0;

export function createResultWriter(store: ShadowResultStore, maxBacklog: number, log: RateLimitedLog): ResultWriter {
  return createBacklogWriter({
    write: (batch) => store.write(batch),
    isEmpty,
    maxBacklog,
    log,
    what: "shadow results",
    logKey: "shadow-results",
  });
}
