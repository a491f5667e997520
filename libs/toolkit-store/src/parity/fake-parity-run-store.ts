import type { ParityDifference } from "@strangler/ops-contract";
import { ToolkitStoreError } from "../errors/toolkit-store-error";
import {
  mergeFiles,
  parityRunId,
  rejected,
  validCheckpoint,
  validNewRun,
  validOutcome,
  validPage,
  validRunsQuery,
  validWarnings,
  type StoredParityRun,
} from "./parity-run-records";
import type { ParityRunStore } from "./parity-run-store";

/** The in-memory store for unit tests, with the PostgreSQL store's semantics, and switches to make it fail. */
export interface FakeParityRunStore extends ParityRunStore {
  /** While set, every call rejects with a retriable ToolkitStoreError (the database is down). */
  failing: boolean;
  /**
   * While set, a checkpoint with a difference this matches fails as a database constraint would,
   * keeping nothing of the checkpoint (to test that a caller survives a failed checkpoint).
   */
  rejectDifference: ((difference: ParityDifference) => boolean) | undefined;
}

interface FakeRun {
  seq: number;
  run: StoredParityRun;
  differences: Map<string, Array<ParityDifference & { position: number }>>;
}

/** An in-memory ParityRunStore (same ids, validation, ordering and paging as the PostgreSQL one). */
export function createFakeParityRunStore(options: { now?: () => number } = {}): FakeParityRunStore {
  const now = options.now ?? Date.now;
  const runs = new Map<string, FakeRun>();
  let seq = 0;
  let closed = false;

  const store: FakeParityRunStore = {
    failing: false,
    rejectDifference: undefined,

    async createRun(input) {
      const run = validNewRun(input);
      check("creating a parity run");
      const startedAt = now();
      const created: StoredParityRun = {
        runId: parityRunId(startedAt),
        startedAt: new Date(startedAt).toISOString(),
        finishedAt: null,
        status: "running",
        lagAware: run.lagAware,
        warnings: [],
        tables: structuredClone(run.tables),
        files: [],
        options: structuredClone(run.options),
      };
      seq += 1;
      runs.set(created.runId, { seq, run: created, differences: new Map() });
      return structuredClone(created);
    },

    async checkpoint(input) {
      const { runId, table, differences } = validCheckpoint(input);
      const doing = `checkpointing ${table.legacyTable} in parity run ${runId}`;
      check(doing);
      const stored = runs.get(runId);
      const index = stored?.run.tables.findIndex((known) => known.legacyTable === table.legacyTable) ?? -1;
      if (stored === undefined || index < 0) throw rejected(doing, "no such run and table");
      const rejectDifference = store.rejectDifference;
      if (rejectDifference !== undefined && differences.some((difference) => rejectDifference(difference)))
        throw rejected(doing, "a difference violates a constraint");
      const list = stored.differences.get(table.legacyTable) ?? [];
      let last = list.at(-1)?.position ?? 0;
      // validCheckpoint returned fresh copies: nothing the caller holds is kept.
      for (const difference of differences) list.push({ ...difference, position: (last += 1) });
      stored.differences.set(table.legacyTable, list);
      stored.run.tables[index] = table;
    },

    async finishRun(runId, input) {
      const doing = `finishing parity run ${runId}`;
      const outcome = validOutcome(runId, input);
      const { run } = known(runId, doing);
      run.status = outcome.status;
      run.finishedAt = new Date(now()).toISOString();
      run.warnings.push(...outcome.warnings);
      run.files = mergeFiles(run.files, structuredClone(outcome.files));
    },

    async reopenRun(runId, input) {
      const doing = `reopening parity run ${runId}`;
      const warnings = validWarnings(runId, input);
      const { run } = known(runId, doing);
      run.status = "running";
      run.finishedAt = null;
      run.warnings.push(...warnings);
    },

    async run(runId) {
      check(`reading parity run ${runId}`);
      const stored = runs.get(runId);
      return stored === undefined ? undefined : structuredClone(stored.run);
    },

    async runs(input = {}) {
      const query = validRunsQuery(input);
      check("listing parity runs");
      return [...runs.values()]
        .filter((stored) => !query.unfinished || stored.run.status !== "done")
        .sort((a, b) => Date.parse(b.run.startedAt) - Date.parse(a.run.startedAt) || b.seq - a.seq)
        .slice(0, query.limit)
        .map(({ run: { options: _options, ...report } }) => structuredClone(report));
    },

    async differences(runId, legacyTable, input) {
      const page = validPage(input);
      check(`reading the differences of ${legacyTable} in parity run ${runId}`);
      const list = runs.get(runId)?.differences.get(legacyTable) ?? [];
      const start = list.findIndex((difference) => difference.position > page.after);
      return (start < 0 ? [] : list.slice(start, start + page.limit)).map((difference) => ({
        ...difference,
        key: [...difference.key],
        columns: [...difference.columns],
      }));
    },

    async close() {
      closed = true;
    },
  };

  function check(doing: string): void {
    if (closed) throw new ToolkitStoreError("TOOLKIT_STORE_CLOSED", `toolkit database: ${doing} after close()`, false);
    if (store.failing)
      throw new ToolkitStoreError(
        "TOOLKIT_STORE_UNAVAILABLE",
        `toolkit database: ${doing} failed: fake store is down`,
        true,
      );
  }

  function known(runId: string, doing: string): FakeRun {
    check(doing);
    const stored = runs.get(runId);
    if (stored === undefined) throw rejected(doing, "no such run");
    return stored;
  }

  return store;
}
