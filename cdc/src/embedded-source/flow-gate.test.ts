import { createFlowGate, type FlowGate } from "./flow-gate";

/**
 * A producer like a socket: while not paused it delivers chunks of `chunk` messages, each
 * synchronously (as node-postgres parses one socket read), into a promise chain drained by a slow
 * sink that takes `batch` messages per call.
 */
async function burst(options: {
  total: number;
  chunk: number;
  batch: number;
  high: number;
}): Promise<{ gate: FlowGate; delivered: number; applied: number }> {
  let paused = false;
  let wake: () => void = () => undefined;
  const gate = createFlowGate(
    { high: options.high, low: Math.floor(options.high / 2) },
    {
      pause: () => (paused = true),
      resume: () => {
        paused = false;
        wake();
      },
    },
  );
  let chain = Promise.resolve();
  let buffer = 0;
  let applied = 0;
  const slowSink = async (count: number) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    applied += count;
  };
  let delivered = 0;
  while (delivered < options.total) {
    if (paused) {
      await new Promise<void>((resolve) => (wake = resolve));
      continue;
    }
    for (let i = 0; i < options.chunk && delivered < options.total; i += 1, delivered += 1) {
      gate.enter();
      chain = chain.then(async () => {
        buffer += 1;
        if (buffer >= options.batch) {
          const count = buffer;
          buffer = 0;
          await slowSink(count);
        }
        gate.leave();
      });
    }
    // The socket's next read comes on a later turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await chain;
  return { gate, delivered, applied: applied + buffer };
}

describe("the flow gate", () => {
  it("keeps the queue of a slow sink within high + one read, and still delivers everything", async () => {
    const { gate, delivered, applied } = await burst({ total: 20_000, chunk: 100, batch: 50, high: 400 });
    expect(delivered).toBe(20_000);
    expect(applied).toBe(20_000);
    expect(gate.peak()).toBeGreaterThanOrEqual(400);
    expect(gate.peak()).toBeLessThanOrEqual(400 + 100);
    expect(gate.depth()).toBe(0);
    expect(gate.paused()).toBe(false);
  });

  it("without a bound the same burst piles up in memory (what the gate prevents)", async () => {
    const { gate } = await burst({ total: 20_000, chunk: 100, batch: 50, high: Number.MAX_SAFE_INTEGER });
    expect(gate.peak()).toBeGreaterThan(5_000);
  });

  it("pauses at high and resumes at low, once each", () => {
    const calls: string[] = [];
    const gate = createFlowGate(
      { high: 3, low: 1 },
      { pause: () => calls.push("pause"), resume: () => calls.push("resume") },
    );
    for (let i = 0; i < 5; i += 1) gate.enter();
    expect(calls).toEqual(["pause"]);
    for (let i = 0; i < 3; i += 1) gate.leave();
    expect(calls).toEqual(["pause"]);
    gate.leave();
    expect(calls).toEqual(["pause", "resume"]);
    expect(() => createFlowGate({ high: 2, low: 2 }, { pause() {}, resume() {} })).toThrow(/low/);
  });
});
