import type { SupervisorMessage, WorkerMessage } from "./worker-messages";
import type { WorkerProcess } from "./worker-process";

/** How a fake worker behaves: listen, fail to start, or never answer queries. */
export type FakeBehaviour = "ok" | "fails" | "mute";

/** A WorkerProcess for unit tests of the pool: answers like a real worker, on the next tick. */
export class FakeWorkerProcess implements WorkerProcess {
  readonly pid: number;
  readonly sent: SupervisorMessage[] = [];
  exitCode: number | null | undefined;
  private readonly messageListeners: Array<(message: WorkerMessage) => void> = [];
  private readonly exitListeners: Array<(code: number | null, signal: string | null) => void> = [];

  constructor(
    readonly id: number,
    readonly behaviour: FakeBehaviour,
    private readonly log: string[],
  ) {
    this.pid = 10_000 + id;
    log.push(`fork ${id}`);
    setImmediate(() => {
      if (behaviour === "fails") {
        this.emit({ type: "strangler:failed", message: "listen EADDRINUSE" });
        this.exit(1, null);
      } else {
        this.emit({ type: "strangler:listening", proxyUrl: "http://127.0.0.1:4100" });
      }
    });
  }

  send(message: SupervisorMessage): void {
    this.sent.push(message);
    if (this.exitCode !== undefined) return;
    if (message.type === "strangler:drain") {
      this.log.push(`drain ${this.id}`);
      setImmediate(() => {
        this.emit({
          type: "strangler:retiring",
          metrics: [
            {
              name: "t_total",
              help: "t",
              type: "counter",
              aggregator: "sum",
              values: [{ value: this.id, labels: {} }],
            },
          ],
        });
        this.exit(0, null);
      });
    } else if (this.behaviour !== "mute") {
      setImmediate(() =>
        this.emit({ type: "strangler:answer", id: message.id, value: { worker: this.id, what: message.what } }),
      );
    }
  }

  onMessage(listener: (message: WorkerMessage) => void): void {
    this.messageListeners.push(listener);
  }

  onExit(listener: (code: number | null, signal: string | null) => void): void {
    this.exitListeners.push(listener);
  }

  kill(signal: NodeJS.Signals): void {
    setImmediate(() => this.exit(null, signal));
  }

  /** The process ends (crash, kill or after a drain). */
  exit(code: number | null, signal: string | null): void {
    if (this.exitCode !== undefined) return;
    this.exitCode = code;
    this.log.push(`exit ${this.id}`);
    for (const listener of this.exitListeners) listener(code, signal);
  }

  private emit(message: WorkerMessage): void {
    if (message.type === "strangler:listening") this.log.push(`listening ${this.id}`);
    for (const listener of this.messageListeners) listener(message);
  }
}
