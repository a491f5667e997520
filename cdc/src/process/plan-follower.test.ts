import type { SyncDirections } from "@strangler/ops-contract";
import { createFakePlanStore, type FakePlanStore } from "@strangler/toolkit-store";
import pino from "pino";
import { createPlanFollower, directionsOf } from "./plan-follower";
import type { DirectionsTarget, ServiceStreams } from "./service-streams";

/** A ServiceStreams that only records the targets it was asked for. */
function recordingService(service: string): ServiceStreams & { asked: DirectionsTarget[] } {
  const asked: DirectionsTarget[] = [];
  return {
    service,
    asked,
    streams: () => [],
    applied: () => null,
    reverseRunning: () => false,
    follow: async (target) => {
      asked.push(target);
    },
    stop: async () => [],
  };
}

/** Writes `sync` as the service's next plan state. */
async function writeSync(store: FakePlanStore, service: string, sync: SyncDirections | null): Promise<void> {
  const current = await store.state(service);
  await store.transition(
    service,
    current?.version ?? 0,
    {
      step: "switch-writes",
      stage: 0,
      status: "in_progress",
      owners: { t: "service" },
      enteredAt: null,
      sync,
      pending: null,
    },
    { actor: "test", action: "flip", message: "flip", gates: [] },
  );
}

function logRecorder(): { logger: pino.Logger; lines: () => Array<{ level: number; msg: string }> } {
  const chunks: string[] = [];
  const logger = pino({ level: "info" }, { write: (chunk: string) => chunks.push(chunk) });
  return {
    logger,
    lines: () => chunks.map((chunk) => JSON.parse(chunk) as { level: number; msg: string }),
  };
}

const fromConfig = (service: string): SyncDirections => ({ forward: "apply", reverse: service === "with-reverse" });

describe("the CDC process following the plan", () => {
  it("takes a state's sync, and the config's directions where there is no state or sync is null", () => {
    const config: SyncDirections = { forward: "apply", reverse: true };
    expect(directionsOf(undefined, config)).toEqual({ sync: config, version: null });
    const state = {
      service: "svc",
      step: "switch-writes",
      stage: 0,
      status: "idle" as const,
      owners: {},
      enteredAt: null,
      pending: null,
      updatedAt: "2026-12-02T00:00:00.000Z",
    };
    expect(directionsOf({ ...state, sync: null, version: 4 }, config)).toEqual({ sync: config, version: 4 });
    expect(directionsOf({ ...state, sync: { forward: "watch", reverse: true }, version: 5 }, config)).toEqual({
      sync: { forward: "watch", reverse: true },
      version: 5,
    });
  });

  it("hands each service its plan directions, and a changed state only once", async () => {
    const store = createFakePlanStore();
    const [a, b] = [recordingService("a"), recordingService("with-reverse")];
    const follower = createPlanFollower({
      store,
      services: [a, b],
      configDirections: fromConfig,
      logger: pino({ level: "silent" }),
    });
    await writeSync(store, "a", { forward: "apply", reverse: true });
    expect(await follower.poll()).toBe(true);
    await follower.poll();
    await writeSync(store, "a", { forward: "watch", reverse: true });
    await follower.poll();
    expect(a.asked).toEqual([
      { sync: { forward: "apply", reverse: true }, version: 1 },
      { sync: { forward: "watch", reverse: true }, version: 2 },
    ]);
    expect(b.asked).toEqual([{ sync: { forward: "apply", reverse: true }, version: null }]);
  });

  it("keeps the directions in force while the toolkit database is unreachable, warning at most once per interval", async () => {
    const store = createFakePlanStore();
    const a = recordingService("a");
    const log = logRecorder();
    let clock = 0;
    const follower = createPlanFollower({
      store,
      services: [a],
      configDirections: fromConfig,
      logger: log.logger,
      warnEveryMs: 30_000,
      now: () => clock,
    });
    await writeSync(store, "a", { forward: "watch", reverse: true });
    await follower.poll();
    store.failing = true;
    for (clock = 1_000; clock <= 40_000; clock += 1_000) expect(await follower.poll()).toBe(false);
    // Nothing new asked: the plan's watch stays in force (not the config's apply).
    expect(a.asked).toEqual([{ sync: { forward: "watch", reverse: true }, version: 1 }]);
    const warnings = log.lines().filter((line) => line.level === 40);
    expect(warnings.map((line) => line.msg)).toEqual([
      "cannot read the plan states from the toolkit database; the CDC directions in force stay, retrying",
      "cannot read the plan states from the toolkit database; the CDC directions in force stay, retrying",
    ]);
    store.failing = false;
    await writeSync(store, "a", { forward: "apply", reverse: false });
    expect(await follower.poll()).toBe(true);
    expect(a.asked.at(-1)).toEqual({ sync: { forward: "apply", reverse: false }, version: 2 });
    expect(log.lines().some((line) => line.msg === "the plan states are readable again")).toBe(true);
  });

  it("starts a service on its config's directions when the first read fails, then follows the plan once readable", async () => {
    const store = createFakePlanStore();
    await writeSync(store, "a", { forward: "watch", reverse: true });
    store.failing = true;
    const a = recordingService("a");
    const follower = createPlanFollower({
      store,
      services: [a],
      configDirections: fromConfig,
      logger: pino({ level: "silent" }),
    });
    expect(await follower.poll()).toBe(false);
    expect(a.asked).toEqual([{ sync: { forward: "apply", reverse: false }, version: null }]);
    store.failing = false;
    await follower.poll();
    expect(a.asked.at(-1)).toEqual({ sync: { forward: "watch", reverse: true }, version: 1 });
  });

  it("polls on its own every interval until stopped", async () => {
    const store = createFakePlanStore();
    const a = recordingService("a");
    const follower = createPlanFollower({
      store,
      services: [a],
      configDirections: fromConfig,
      logger: pino({ level: "silent" }),
      intervalMs: 5,
    });
    follower.start();
    await writeSync(store, "a", { forward: "apply", reverse: true });
    for (let i = 0; i < 100 && a.asked.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await follower.stop();
    expect(a.asked).toEqual([{ sync: { forward: "apply", reverse: true }, version: 1 }]);
    await writeSync(store, "a", { forward: "watch", reverse: true });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(a.asked).toHaveLength(1);
  });
});
