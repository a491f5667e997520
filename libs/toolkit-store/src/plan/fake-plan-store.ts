import type { PlanAuditEntry, PlanState } from "@strangler/ops-contract";
import { setTimeout as sleep } from "node:timers/promises";
import { RUNNER_LOCK_POLL_MS } from "../defaults";
import { ToolkitStoreError } from "../errors/toolkit-store-error";
import { conflict, locked, planState, validAuditQuery, validTransition, validWaitMs } from "./plan-records";
import type { PlanStore } from "./plan-store";

/** The in-memory store for unit tests, with the PostgreSQL store's semantics, and a switch to make it fail. */
export interface FakePlanStore extends PlanStore {
  /** While set, every call rejects with a retriable ToolkitStoreError (the database is down). */
  failing: boolean;
  /** Whether some caller holds the runner lock now. */
  readonly runnerLockHeld: boolean;
}

/**
 * An in-memory PlanStore (same versions, conflicts, validation, audit order and paging as the
 * PostgreSQL one). The runner lock is one per fake: callers sharing a fake are the processes sharing
 * a database.
 */
export function createFakePlanStore(options: { now?: () => number } = {}): FakePlanStore {
  const now = options.now ?? Date.now;
  const states = new Map<string, PlanState>();
  const entries: PlanAuditEntry[] = [];
  let lockHeld = false;
  let closed = false;

  const store: FakePlanStore = {
    failing: false,
    get runnerLockHeld() {
      return lockHeld;
    },

    async state(service) {
      check(`reading the plan state of ${service}`);
      const state = states.get(service);
      return state === undefined ? undefined : structuredClone(state);
    },

    async states() {
      check("listing plan states");
      return [...states.values()].sort((a, b) => (a.service < b.service ? -1 : 1)).map((s) => structuredClone(s));
    },

    async transition(service, expectedVersion, input, record) {
      const { next, audit } = validTransition(service, expectedVersion, input, record);
      check(`moving the plan state of ${service} from version ${expectedVersion}`);
      const before = states.get(service) ?? null;
      const storedVersion = before?.version ?? 0;
      if (storedVersion !== expectedVersion) throw conflict(service, expectedVersion, storedVersion);
      const updatedAt = new Date(now()).toISOString();
      const after = planState(service, next, expectedVersion + 1, updatedAt);
      states.set(service, after);
      // validTransition returned fresh copies and `after` is new: nothing the caller holds is kept.
      entries.push({ id: entries.length + 1, at: updatedAt, service, ...audit, before, after: structuredClone(after) });
      return structuredClone(after);
    },

    async audit(input) {
      const query = validAuditQuery(input);
      check("reading the plan audit log");
      const found: PlanAuditEntry[] = [];
      for (let i = entries.length - 1; i >= 0 && found.length < query.limit; i -= 1) {
        const entry = entries[i];
        if (entry === undefined || (query.before !== undefined && entry.id >= query.before)) continue;
        if (query.service === undefined || entry.service === query.service) found.push(structuredClone(entry));
      }
      return found;
    },

    async withRunnerLock(work, lockOptions) {
      const waitMs = validWaitMs(lockOptions);
      check("taking the plan-runner lock");
      const deadline = Date.now() + waitMs;
      while (lockHeld) {
        const left = deadline - Date.now();
        if (left <= 0) throw locked("held in this process");
        await sleep(Math.min(RUNNER_LOCK_POLL_MS, left));
      }
      lockHeld = true;
      try {
        return await work();
      } finally {
        lockHeld = false;
      }
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

  return store;
}
