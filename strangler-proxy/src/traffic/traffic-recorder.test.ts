import { createFakeTrafficStore } from "@strangler/toolkit-store";
import pino from "pino";
import { createTrafficRecorder, type TrafficRecorder } from "./traffic-recorder";

const logger = pino({ level: "silent" });
const MINUTE = Date.UTC(2026, 11, 2, 10, 0, 0);
const route = { id: "things-get", service: "things-service" };
// Timers that never fire within a test: flush() and close() are what write.
const idle = { flushIntervalMs: 3_600_000, pruneIntervalMs: 3_600_000 };

describe("the served-traffic recorder", () => {
  const recorders: TrafficRecorder[] = [];
  afterEach(async () => {
    await Promise.all(recorders.splice(0).map((recorder) => recorder.close()));
  });
  const start = (store = createFakeTrafficStore(), backlogMax = 10) => {
    const recorder = createTrafficRecorder({
      store,
      retentionDays: 7,
      logger,
      now: () => MINUTE + 5_000,
      limits: { ...idle, backlogMax },
    });
    recorders.push(recorder);
    return { store, recorder };
  };
  const report = (store: ReturnType<typeof createFakeTrafficStore>) =>
    store.report({ since: new Date(MINUTE), until: new Date(MINUTE + 60_000) });

  it("writes what it counted on flush, and nothing when nothing was counted", async () => {
    const { store, recorder } = start();
    await recorder.flush();
    expect(store.writes).toHaveLength(0);
    recorder.record(route, "service", true, 12);
    recorder.record(route, "legacy", false, 3);
    await recorder.flush();
    const sides = (await report(store)).routes[0]?.sides;
    expect(sides?.service).toMatchObject({ requests: 1, errors: 1 });
    expect(sides?.legacy).toMatchObject({ requests: 1, errors: 0 });
    expect(recorder.stats()).toMatchObject({ written: 1, backlog: 0 });
  });

  it("keeps the batches while the store is down and writes them once it answers", async () => {
    const { store, recorder } = start();
    store.failing = true;
    recorder.record(route, "service", false, 1);
    await recorder.flush();
    recorder.record(route, "service", false, 1);
    await recorder.flush();
    expect(recorder.stats()).toMatchObject({ backlog: 2, writeFailures: 2, written: 0 });
    store.failing = false;
    await recorder.flush();
    expect((await report(store)).routes[0]?.sides.service.requests).toBe(2);
    expect(recorder.stats()).toMatchObject({ backlog: 0, written: 2 });
  });

  it("drops the oldest batches past the backlog bound and counts them", async () => {
    const { store, recorder } = start(createFakeTrafficStore(), 2);
    store.failing = true;
    for (let i = 0; i < 4; i += 1) {
      recorder.record(route, "legacy", false, 1);
      await recorder.flush();
    }
    expect(recorder.stats()).toMatchObject({ backlog: 2, droppedBatches: 2 });
    store.failing = false;
    await recorder.flush();
    expect((await report(store)).routes[0]?.sides.legacy.requests).toBe(2);
  });

  it("writes the last counts on close, then closes the store and counts nothing more", async () => {
    const { store, recorder } = start();
    recorder.record(route, "legacy", false, 1);
    await recorder.close();
    expect(store.writes.flat().map((d) => d.requests)).toEqual([1]);
    recorder.record(route, "legacy", false, 1);
    await recorder.close();
    await expect(report(store)).rejects.toMatchObject({ code: "TOOLKIT_STORE_CLOSED" });
  });
});
