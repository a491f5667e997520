import cluster, { type Worker } from "node:cluster";
import { isWorkerMessage, type SupervisorMessage, type WorkerMessage } from "./worker-messages";

/** A worker process as the pool sees it: the seam between the pool's logic and node:cluster (tests hand in fakes). */
export interface WorkerProcess {
  readonly id: number;
  readonly pid: number | undefined;
  send(message: SupervisorMessage): void;
  onMessage(listener: (message: WorkerMessage) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(signal: NodeJS.Signals): void;
}

/** Forks a cluster worker (it runs the same entry as the supervisor: main.ts). */
export function forkClusterWorker(): WorkerProcess {
  const worker: Worker = cluster.fork();
  return {
    id: worker.id,
    pid: worker.process.pid,
    send(message) {
      // A worker that is exiting may have closed its channel already; there is nothing to tell it then.
      if (worker.isConnected()) worker.send(message);
    },
    onMessage(listener) {
      worker.on("message", (message: unknown) => {
        if (isWorkerMessage(message)) listener(message);
      });
    },
    onExit(listener) {
      worker.on("exit", (code, signal) => listener(code, signal));
    },
    kill(signal) {
      worker.process.kill(signal);
    },
  };
}
