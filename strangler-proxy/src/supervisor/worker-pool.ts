import type { Logger } from "pino";
import type { WorkerMetrics, WorkerQuery } from "./worker-messages";
import type { WorkerProcess } from "./worker-process";

export type WorkerState = "starting" | "listening" | "draining";

/** What /admin/health reports about each worker. */
export interface WorkerView {
  id: number;
  pid: number | null;
  state: WorkerState;
  startedAt: string;
}

export interface WorkerPoolOptions {
  fork: () => WorkerProcess;
  /** A new worker must listen within this. */
  startTimeoutMs: number;
  /** A draining worker that has not exited this long after its grace is killed. */
  exitMarginMs: number;
  queryTimeoutMs: number;
  /** First delay before a dead worker is replaced (doubling while replacements fail, up to respawnMaxDelayMs). */
  respawnDelayMs: number;
  respawnMaxDelayMs: number;
  logger: Logger;
  /** The final counters of a worker that drained. */
  onRetiring: (metrics: WorkerMetrics) => void;
}

export interface WorkerPool {
  /** Starts `count` workers and waits until they all listen; rejects with the first failure. */
  start(count: number): Promise<void>;
  /**
   * Replaces every worker, one at a time: a new worker listens before an old one drains, so the
   * proxy never has fewer than `count` workers taking connections. Rejects when a new worker fails
   * to start; the workers still serving (old and new) are kept.
   */
  restart(count: number, drainGraceMs: number): Promise<void>;
  /** Drains every worker at once (up to graceMs) and waits until they exited. */
  stop(graceMs: number): Promise<void>;
  /** Asks every worker that serves for its report; the ones that do not answer in time are left out. */
  query(what: WorkerQuery): Promise<unknown[]>;
  workers(): WorkerView[];
  listening(): number;
}

interface PoolWorker {
  process: WorkerProcess;
  state: WorkerState;
  startedAt: Date;
  /** Sent its final metrics: its counts are in the retired totals, it is left out of queries. */
  retired: boolean;
  listening: Promise<void>;
  exited: Promise<void>;
  answers: Map<number, (value: unknown) => void>;
}

/** The supervisor's workers: start, rolling restart, stop, replacement of a worker that died, queries. */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const { logger } = options;
  const workers = new Set<PoolWorker>();
  let target = 0;
  let stopping = false;
  let restarting = false;
  let respawnDelay = options.respawnDelayMs;
  let respawnTimer: NodeJS.Timeout | undefined;
  let queryId = 0;

  const spawn = (): PoolWorker => {
    const proc = options.fork();
    let failure: string | undefined;
    let listened: () => void = () => undefined;
    let failed: (error: Error) => void = () => undefined;
    let exited: () => void = () => undefined;
    const worker: PoolWorker = {
      process: proc,
      state: "starting",
      startedAt: new Date(),
      retired: false,
      listening: new Promise<void>((resolve, reject) => ((listened = resolve), (failed = reject))),
      exited: new Promise<void>((resolve) => (exited = resolve)),
      answers: new Map(),
    };
    worker.listening.catch(() => undefined);
    workers.add(worker);
    proc.onMessage((message) => {
      if (message.type === "strangler:listening") {
        worker.state = "listening";
        respawnDelay = options.respawnDelayMs;
        logger.info({ worker: proc.id, pid: proc.pid, proxyUrl: message.proxyUrl }, "worker listening");
        listened();
      } else if (message.type === "strangler:failed") {
        failure = message.message;
      } else if (message.type === "strangler:answer") {
        worker.answers.get(message.id)?.(message.value);
        worker.answers.delete(message.id);
      } else {
        worker.retired = true;
        options.onRetiring(message.metrics);
      }
    });
    proc.onExit((code, signal) => {
      const how = failure ?? `exited with ${signal ?? `code ${code}`}`;
      // A worker that was serving died; one that failed to start is reported by whoever started it.
      const died = worker.state === "listening" && !stopping;
      workers.delete(worker);
      for (const answer of worker.answers.values()) answer(undefined);
      failed(new Error(`worker ${proc.id} (pid ${proc.pid}) ${how} before it listened`));
      exited();
      if (died) {
        logger.error({ worker: proc.id, pid: proc.pid, code, signal }, `worker ${proc.id} ${how}; it is replaced`);
        scheduleTopUp();
      }
    });
    return worker;
  };

  const started = async (worker: PoolWorker): Promise<void> => {
    const timer = setTimeout(() => {
      logger.error(
        { worker: worker.process.id },
        `worker ${worker.process.id} did not listen within ${options.startTimeoutMs} ms; killed`,
      );
      worker.process.kill("SIGKILL");
    }, options.startTimeoutMs);
    try {
      await worker.listening;
    } finally {
      clearTimeout(timer);
    }
  };

  const drain = async (worker: PoolWorker, graceMs: number): Promise<void> => {
    if (!workers.has(worker)) return;
    worker.state = "draining";
    worker.process.send({ type: "strangler:drain", graceMs });
    const killer = setTimeout(() => {
      logger.error({ worker: worker.process.id }, `worker ${worker.process.id} did not exit after draining; killed`);
      worker.process.kill("SIGKILL");
    }, graceMs + options.exitMarginMs);
    await worker.exited;
    clearTimeout(killer);
  };

  const serving = () => [...workers].filter((worker) => worker.state !== "draining");

  // Replaces workers that died, unless a restart or a stop is in charge; backs off while they fail.
  function scheduleTopUp(): void {
    if (respawnTimer || stopping) return;
    respawnTimer = setTimeout(() => {
      respawnTimer = undefined;
      if (stopping || restarting) return;
      for (let missing = target - serving().length; missing > 0; missing--) {
        started(spawn()).catch((error: Error) => {
          logger.error({ err: error }, `replacement worker failed; next try in ${respawnDelay} ms`);
          scheduleTopUp();
        });
      }
    }, respawnDelay);
    respawnDelay = Math.min(respawnDelay * 2, options.respawnMaxDelayMs);
  }

  return {
    async start(count) {
      target = count;
      await Promise.all(Array.from({ length: count }, () => started(spawn())));
    },
    async restart(count, drainGraceMs) {
      if (stopping) return;
      restarting = true;
      target = count;
      try {
        const old = serving();
        for (let i = 0; i < Math.max(count, old.length) && !stopping; i++) {
          if (i < count) await started(spawn());
          const previous = old[i];
          if (previous) await drain(previous, drainGraceMs);
        }
      } finally {
        restarting = false;
        if (serving().length < target) scheduleTopUp();
      }
    },
    async stop(graceMs) {
      stopping = true;
      clearTimeout(respawnTimer);
      await Promise.all([...workers].map((worker) => drain(worker, graceMs)));
    },
    async query(what) {
      const asked = [...workers].filter((worker) => worker.state !== "starting" && !worker.retired);
      const answers = await Promise.all(
        asked.map(
          (worker) =>
            new Promise<unknown>((resolve) => {
              const id = ++queryId;
              const timer = setTimeout(() => {
                worker.answers.delete(id);
                logger.warn(
                  { worker: worker.process.id, what },
                  `worker ${worker.process.id} did not answer the ${what} query in time`,
                );
                resolve(undefined);
              }, options.queryTimeoutMs);
              worker.answers.set(id, (value) => {
                clearTimeout(timer);
                resolve(value);
              });
              worker.process.send({ type: "strangler:query", id, what });
            }),
        ),
      );
      return answers.filter((answer) => answer !== undefined);
    },
    workers: () =>
      [...workers].map((w) => ({
        id: w.process.id,
        pid: w.process.pid ?? null,
        state: w.state,
        startedAt: w.startedAt.toISOString(),
      })),
    listening: () => [...workers].filter((worker) => worker.state === "listening").length,
  };
}
