import { createRestartCoordinator } from "./restart-coordinator";

describe("restart coordinator", () => {
  it("runs a requested restart and records its outcome", async () => {
    const coordinator = createRestartCoordinator(
      async () => undefined,
      () => new Date("2026-12-01T10:00:00.000Z"),
    );
    coordinator.request();
    expect(coordinator.status()).toMatchObject({ state: "running", requested: 1, completed: 0 });
    await coordinator.idle();
    expect(coordinator.status()).toEqual({
      state: "idle",
      requested: 1,
      completed: 1,
      lastOutcome: "ok",
      lastError: null,
      lastFinishedAt: "2026-12-01T10:00:00.000Z",
    });
  });

  it("does the requests that arrive during a restart once more, after it", async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const coordinator = createRestartCoordinator(() => {
      runs += 1;
      return new Promise<void>((resolve) => (release = resolve));
    });
    coordinator.request();
    coordinator.request();
    coordinator.request();
    release();
    await new Promise((resolve) => setImmediate(resolve));
    // The first run served request 1 only: requests 2 and 3 came while it ran.
    expect(coordinator.status()).toMatchObject({ state: "running", requested: 3, completed: 1 });
    release();
    await coordinator.idle();
    expect(runs).toBe(2);
    expect(coordinator.status()).toMatchObject({ state: "idle", completed: 3 });
  });

  it("records a failed restart with its reason", async () => {
    const coordinator = createRestartCoordinator(() =>
      Promise.reject(new Error("worker 3 exited with code 1 before it listened")),
    );
    coordinator.request();
    await coordinator.idle();
    expect(coordinator.status()).toMatchObject({
      completed: 1,
      lastOutcome: "failed",
      lastError: "worker 3 exited with code 1 before it listened",
    });
  });
});
