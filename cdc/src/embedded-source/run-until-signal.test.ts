import { EventEmitter } from "node:events";
import pino from "pino";
import type { EmbeddedSource } from "./embedded-source";
import { runUntilSignal } from "./run-until-signal";

function fakeSource(calls: string[], startDelayMs = 0): EmbeddedSource {
  return {
    start: async () => {
      calls.push("start");
      await new Promise((resolve) => setTimeout(resolve, startDelayMs));
      calls.push("started");
    },
    stop: async () => {
      calls.push("stop");
    },
    status: () => ({ phase: "stopped", confirmedLsn: null, lastEventAt: null, applied: 0, queued: 0 }),
  };
}

const logger = pino({ level: "silent" });

test("stops the source cleanly on SIGTERM and removes its signal listeners", async () => {
  const calls: string[] = [];
  const signals = new EventEmitter();
  const running = runUntilSignal(fakeSource(calls), { logger, signals });
  while (!calls.includes("started")) await new Promise((resolve) => setTimeout(resolve, 1));
  signals.emit("SIGTERM");
  await expect(running).resolves.toBe("SIGTERM");
  expect(calls).toEqual(["start", "started", "stop"]);
  expect(signals.listenerCount("SIGTERM") + signals.listenerCount("SIGINT")).toBe(0);
});

test("a signal during a long start (the snapshot) still ends in stop()", async () => {
  const calls: string[] = [];
  const signals = new EventEmitter();
  const running = runUntilSignal(fakeSource(calls, 50), { logger, signals });
  signals.emit("SIGINT");
  await expect(running).resolves.toBe("SIGINT");
  expect(calls).toContain("stop");
});
