import type { PlanState } from "@strangler/ops-contract";
import type { NextPlanState, PlanStore } from "../src";
import { auditRecord, nextState, uniqueService } from "./plan-fixtures";
import { clock } from "./parity-run-fixtures";

/** A store under test: the PostgreSQL one against a fresh database, or the fake. */
export interface PlanStoreUnderTest {
  /** A store (a second call: another process on the same backing store). */
  open(options: { now?: () => number }): Promise<PlanStore>;
}

/** A promise and the function that settles it: holds a runner's work open until the test says so. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** The behaviour every PlanStore has: the same spec for the PostgreSQL store and the fake. */
export function describePlanStore(subject: PlanStoreUnderTest): void {
  const opened: PlanStore[] = [];
  const openStore = async (now?: () => number) => {
    const store = await subject.open({ now });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  /** Runs work under the runner lock of `store`, returning once it is inside; `release` lets it finish. */
  async function holdRunnerLock(store: PlanStore): Promise<{ release: () => void; done: Promise<string> }> {
    const inside = gate();
    const held = gate();
    const done = store.withRunnerLock(async () => {
      inside.open();
      await held.opened;
      return "first runner done";
    });
    await Promise.race([inside.opened, done]);
    return { release: held.open, done };
  }

  it("starts a service at version 1 from expected version 0 and adds one per transition", async () => {
    const store = await openStore(clock(Date.UTC(2026, 11, 2, 10, 0, 0)));
    const service = uniqueService();
    expect(await store.state(service)).toBeUndefined();

    const first = await store.transition(service, 0, nextState("prepare"), auditRecord("start"));
    expect(first).toEqual({ service, ...nextState("prepare"), version: 1, updatedAt: "2026-12-02T10:00:00.000Z" });
    const pending = { action: "set-rollout", target: { percent: 10 }, startedAt: "2026-12-02T10:00:01.000Z" };
    const second = await store.transition(
      service,
      1,
      nextState("canary-reads", { stage: 1, status: "in_progress", pending, owners: { t_one: "service" } }),
      auditRecord("canary"),
    );
    expect(second).toMatchObject({
      version: 2,
      step: "canary-reads",
      stage: 1,
      pending,
      updatedAt: "2026-12-02T10:00:01.000Z",
    });
    expect(await store.state(service)).toEqual(second);
    const other = uniqueService("aaa");
    await store.transition(other, 0, nextState("prepare"), auditRecord("start"));
    const listed = (await store.states()).filter((state) => state.service === service || state.service === other);
    expect(listed.map((state) => [state.service, state.version])).toEqual([
      [other, 1],
      [service, 2],
    ]);
  });

  it("rejects a transition from a stale version with TOOLKIT_STORE_CONFLICT naming the service and both versions", async () => {
    const store = await openStore();
    const service = uniqueService();
    await store.transition(service, 0, nextState("prepare"), auditRecord("start"));
    const moved = await store.transition(service, 1, nextState("sync"), auditRecord("sync"));

    for (const stale of [0, 1, 3]) {
      const failure = await store
        .transition(service, stale, nextState("verify"), auditRecord("verify"))
        .catch((e: unknown) => e);
      expect(failure).toMatchObject({ code: "TOOLKIT_STORE_CONFLICT", retriable: false });
      expect((failure as Error).message).toContain(service);
      expect((failure as Error).message).toMatch(new RegExp(`expected version ${stale}\\b.*stored version 2\\b`));
    }
    const missing = uniqueService();
    await expect(store.transition(missing, 4, nextState("x"), auditRecord("x"))).rejects.toMatchObject({
      code: "TOOLKIT_STORE_CONFLICT",
      message: expect.stringMatching(/expected version 4, stored version 0 \(none\)/),
    });
    expect(await store.state(service)).toEqual(moved);
    expect(await store.state(missing)).toBeUndefined();
    expect((await store.audit({ service })).map((entry) => entry.action)).toEqual(["sync", "start"]);
  });

  it("lets exactly one of two stores' concurrent transitions from the same version win, with one audit entry", async () => {
    const [a, b] = [await openStore(), await openStore()];
    const service = uniqueService();
    for (let version = 0; version < 6; version += 1) {
      const results = await Promise.allSettled([
        a.transition(service, version, nextState(`a-${version}`), auditRecord(`a-${version}`)),
        b.transition(service, version, nextState(`b-${version}`), auditRecord(`b-${version}`)),
      ]);
      const won = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
      const lost = results.flatMap((result) => (result.status === "rejected" ? [result.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(lost).toEqual([expect.objectContaining({ code: "TOOLKIT_STORE_CONFLICT" })]);
      expect(await b.state(service)).toEqual(won[0]);
    }
    const entries = await a.audit({ service });
    expect(entries).toHaveLength(6);
    const steps = (await a.audit({ service })).reverse().map((entry) => entry.after.step);
    expect(steps.map((step) => step.replace(/^[ab]-/, ""))).toEqual(["0", "1", "2", "3", "4", "5"]);
  });

  it("lists the audit log newest first with states before and after and the gates, paged and by service", async () => {
    const store = await openStore(clock(Date.UTC(2026, 11, 2, 12, 0, 0)));
    const [one, two] = [uniqueService("one"), uniqueService("two")];
    const first = await store.transition(one, 0, nextState("prepare"), auditRecord("start", { gates: [] }));
    await store.transition(two, 0, nextState("prepare"), auditRecord("start"));
    const second = await store.transition(one, 1, nextState("sync"), auditRecord("sync", { actor: "dashboard" }));
    await store.transition(two, 1, nextState("sync"), auditRecord("sync"));
    const third = await store.transition(one, 2, nextState("verify", { status: "held" }), auditRecord("verify"));

    const newest = await store.audit({ limit: 5 });
    expect(newest.map((entry) => [entry.service, entry.action])).toEqual([
      [one, "verify"],
      [two, "sync"],
      [one, "sync"],
      [two, "start"],
      [one, "start"],
    ]);
    const ofOne = await store.audit({ service: one });
    expect(ofOne).toEqual([
      {
        id: expect.any(Number),
        at: third.updatedAt,
        service: one,
        ...auditRecord("verify"),
        before: second,
        after: third,
      },
      {
        id: expect.any(Number),
        at: second.updatedAt,
        service: one,
        ...auditRecord("sync", { actor: "dashboard" }),
        before: first,
        after: second,
      },
      {
        id: expect.any(Number),
        at: "2026-12-02T12:00:00.000Z",
        service: one,
        ...auditRecord("start", { gates: [] }),
        before: null,
        after: first,
      },
    ]);
    const ids = ofOne.map((entry) => entry.id);
    expect([...ids].sort((x, y) => y - x)).toEqual(ids);

    const page1 = await store.audit({ service: one, limit: 2 });
    const page2 = await store.audit({ service: one, limit: 2, before: page1.at(-1)?.id });
    expect([...page1, ...page2]).toEqual(ofOne);
    expect(await store.audit({ service: one, before: ofOne.at(-1)?.id })).toEqual([]);
    expect(await store.audit({ service: uniqueService() })).toEqual([]);
    expect(await store.audit({ limit: 0 })).toEqual([]);
  });

  it("rejects documents and queries that break the contract, without retry and without writing", async () => {
    const store = await openStore();
    const service = uniqueService();
    const rejected = { code: "TOOLKIT_STORE_QUERY_FAILED", retriable: false };
    const bad = (fields: object) => ({ ...nextState("prepare"), ...fields }) as NextPlanState;
    await expect(store.transition(service, 0, bad({ stage: -1 }), auditRecord("x"))).rejects.toMatchObject(rejected);
    await expect(store.transition(service, 0, bad({ status: "flying" }), auditRecord("x"))).rejects.toMatchObject(
      rejected,
    );
    await expect(
      store.transition(service, 0, bad({ owners: { t: "nobody" } }), auditRecord("x")),
    ).rejects.toMatchObject(rejected);
    const badGate = auditRecord("x", { gates: [{ gate: "g", verdict: "maybe" } as never] });
    await expect(store.transition(service, 0, nextState("prepare"), badGate)).rejects.toMatchObject(rejected);
    await expect(store.transition(service, -1, nextState("prepare"), auditRecord("x"))).rejects.toMatchObject(rejected);
    await expect(store.transition(service, 0.5, nextState("prepare"), auditRecord("x"))).rejects.toMatchObject(
      rejected,
    );
    await expect(store.transition("", 0, nextState("prepare"), auditRecord("x"))).rejects.toMatchObject(rejected);
    await expect(store.audit({ limit: -1 })).rejects.toMatchObject(rejected);
    await expect(store.audit({ before: 0 })).rejects.toMatchObject(rejected);
    await expect(store.withRunnerLock(async () => 1, { waitMs: -1 })).rejects.toMatchObject(rejected);
    expect(await store.state(service)).toBeUndefined();
    expect(await store.audit({ service })).toEqual([]);
  });

  it("keeps the store's copy apart from the caller's objects and stores NUL characters as U+FFFD", async () => {
    const store = await openStore();
    const service = uniqueService();
    const next = nextState("prepare", { owners: { "t\u0000x": "legacy" } });
    const written: PlanState = await store.transition(service, 0, next, auditRecord("start", { message: "nul\u0000" }));
    next.owners.other = "service";
    written.owners.mine = "service";
    expect((await store.state(service))?.owners).toEqual({ "t\uFFFDx": "legacy" });
    expect((await store.audit({ service }))[0]?.message).toBe("nul\uFFFD");
  });

  it("runs work under the runner lock and returns its result", async () => {
    const store = await openStore();
    await expect(store.withRunnerLock(async () => 42)).resolves.toBe(42);
    await expect(store.withRunnerLock(async () => "again")).resolves.toBe("again");
  });

  it("refuses the runner lock to another store while one holds it, with TOOLKIT_STORE_LOCKED", async () => {
    const [a, b] = [await openStore(), await openStore()];
    const first = await holdRunnerLock(a);
    const failure = await b.withRunnerLock(async () => "second").catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "TOOLKIT_STORE_LOCKED", retriable: false });
    expect((failure as Error).message).toMatch(/another plan runner holds the plan-runner lock/);
    // The same store is no exception: one runner acts at a time, even within one process.
    await expect(a.withRunnerLock(async () => "nested")).rejects.toMatchObject({ code: "TOOLKIT_STORE_LOCKED" });
    first.release();
    await expect(first.done).resolves.toBe("first runner done");
    await expect(b.withRunnerLock(async () => "second")).resolves.toBe("second");
  });

  it("waits up to waitMs for the runner lock: gets it when released in time, else fails after waiting", async () => {
    const [a, b] = [await openStore(), await openStore()];
    const first = await holdRunnerLock(a);
    const startedAt = Date.now();
    await expect(b.withRunnerLock(async () => "late", { waitMs: 400 })).rejects.toMatchObject({
      code: "TOOLKIT_STORE_LOCKED",
    });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(350);

    const waiting = b.withRunnerLock(async () => "waited", { waitMs: 10_000 });
    setTimeout(first.release, 300);
    await expect(waiting).resolves.toBe("waited");
    await expect(first.done).resolves.toBe("first runner done");
  });

  it("releases the runner lock when work throws, and passes the work's error on unchanged", async () => {
    const [a, b] = [await openStore(), await openStore()];
    const boom = new Error("step failed");
    await expect(
      a.withRunnerLock(async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    await expect(b.withRunnerLock(async () => "after")).resolves.toBe("after");
  });

  it("fails after close() with a final error", async () => {
    const store = await subject.open({});
    await store.close();
    const closed = { code: "TOOLKIT_STORE_CLOSED", retriable: false };
    await expect(store.states()).rejects.toMatchObject(closed);
    await expect(store.withRunnerLock(async () => 1)).rejects.toMatchObject(closed);
  });
}
