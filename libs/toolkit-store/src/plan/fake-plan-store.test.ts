import { describePlanStore } from "../../test/plan-store-contract";
import { auditRecord, nextState } from "../../test/plan-fixtures";
import { createFakePlanStore, type FakePlanStore } from "./fake-plan-store";

describe("the fake plan store", () => {
  // One fake per test: every store a test opens is that one (two processes on one database).
  let fake: FakePlanStore | undefined;
  afterEach(() => {
    fake = undefined;
  });

  describePlanStore({
    async open({ now }) {
      fake ??= createFakePlanStore({ now });
      return fake;
    },
  });

  it("fails with a retriable error while failing is set, keeping nothing of a transition", async () => {
    const store = createFakePlanStore();
    store.failing = true;
    await expect(store.transition("svc", 0, nextState("prepare"), auditRecord("start"))).rejects.toMatchObject({
      code: "TOOLKIT_STORE_UNAVAILABLE",
      retriable: true,
    });
    store.failing = false;
    expect(await store.states()).toEqual([]);
    expect(await store.audit()).toEqual([]);
  });

  it("reports whether the runner lock is held", async () => {
    const store = createFakePlanStore();
    const seen = await store.withRunnerLock(async () => store.runnerLockHeld);
    expect([seen, store.runnerLockHeld]).toEqual([true, false]);
  });
});
