import pino from "pino";
import { FakeWorkerProcess, type FakeBehaviour } from "./fake-worker-process";
import { createWorkerPool, type WorkerPool } from "./worker-pool";
import type { WorkerMetrics } from "./worker-messages";

interface Fixture {
  pool: WorkerPool;
  log: string[];
  forked: FakeWorkerProcess[];
  retired: WorkerMetrics[];
  /** How the next forks behave (the last entry repeats). */
  behaviours: FakeBehaviour[];
}

function fixture(): Fixture {
  const log: string[] = [];
  const forked: FakeWorkerProcess[] = [];
  const retired: WorkerMetrics[] = [];
  const behaviours: FakeBehaviour[] = ["ok"];
  const pool = createWorkerPool({
    fork: () => {
      const behaviour =
        behaviours.length > 1 ? (behaviours.shift() as FakeBehaviour) : (behaviours[0] as FakeBehaviour);
      const worker = new FakeWorkerProcess(forked.length + 1, behaviour, log);
      forked.push(worker);
      return worker;
    },
    startTimeoutMs: 1_000,
    exitMarginMs: 1_000,
    queryTimeoutMs: 50,
    respawnDelayMs: 10,
    respawnMaxDelayMs: 40,
    logger: pino({ level: "silent" }),
    onRetiring: (metrics) => retired.push(metrics),
  });
  return { pool, log, forked, retired, behaviours };
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!check()) throw new Error("condition not met");
};

describe("worker pool", () => {
  it("starts its workers and waits until each listens", async () => {
    const { pool, log } = fixture();
    await pool.start(2);
    expect(pool.listening()).toBe(2);
    expect(log.filter((line) => line.startsWith("listening"))).toEqual(["listening 1", "listening 2"]);
    await pool.stop(100);
  });

  it("restarts one worker at a time: a new worker listens before an old one drains", async () => {
    const { pool, log, retired } = fixture();
    await pool.start(2);
    log.length = 0;
    await pool.restart(2, 100);
    expect(log).toEqual(["fork 3", "listening 3", "drain 1", "exit 1", "fork 4", "listening 4", "drain 2", "exit 2"]);
    expect(pool.workers().map((w) => [w.id, w.state])).toEqual([
      [3, "listening"],
      [4, "listening"],
    ]);
    // The counts of the drained workers are handed over.
    expect(retired.map((metrics) => metrics[0]?.values[0]?.value)).toEqual([1, 2]);
    await pool.stop(100);
  });

  it("grows or shrinks to a new worker count while restarting", async () => {
    const { pool, log } = fixture();
    await pool.start(1);
    log.length = 0;
    await pool.restart(3, 100);
    expect(log).toEqual([
      "fork 2",
      "listening 2",
      "drain 1",
      "exit 1",
      "fork 3",
      "listening 3",
      "fork 4",
      "listening 4",
    ]);
    log.length = 0;
    await pool.restart(1, 100);
    expect(log).toEqual(["fork 5", "listening 5", "drain 2", "exit 2", "drain 3", "exit 3", "drain 4", "exit 4"]);
    await pool.stop(100);
  });

  it("stops a restart whose new worker fails, keeping the old workers serving", async () => {
    const { pool, log, behaviours } = fixture();
    await pool.start(2);
    behaviours.splice(0, behaviours.length, "fails");
    log.length = 0;
    await expect(pool.restart(2, 100)).rejects.toThrow("worker 3 (pid 10003) listen EADDRINUSE before it listened");
    expect(log).toEqual(["fork 3", "exit 3"]);
    expect(pool.workers().map((w) => [w.id, w.state])).toEqual([
      [1, "listening"],
      [2, "listening"],
    ]);
    await pool.stop(100);
  });

  it("replaces a worker that died", async () => {
    const { pool, forked } = fixture();
    await pool.start(2);
    forked[0]?.exit(null, "SIGKILL");
    await until(() => pool.listening() === 2 && forked.length === 3);
    expect(pool.workers().map((w) => w.id)).toEqual([2, 3]);
    await pool.stop(100);
  });

  it("asks every serving worker, leaving out one that does not answer in time", async () => {
    const { pool, behaviours } = fixture();
    behaviours.splice(0, behaviours.length, "ok", "mute", "ok");
    await pool.start(3);
    expect(await pool.query("health")).toEqual([
      { worker: 1, what: "health" },
      { worker: 3, what: "health" },
    ]);
    await pool.stop(100);
  });

  it("drains every worker when it stops, and replaces none", async () => {
    const { pool, forked } = fixture();
    await pool.start(2);
    await pool.stop(100);
    expect(forked.map((w) => [w.sent.at(-1), w.exitCode])).toEqual([
      [{ type: "strangler:drain", graceMs: 100 }, 0],
      [{ type: "strangler:drain", graceMs: 100 }, 0],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(forked).toHaveLength(2);
  });
});
