import type { CdcStream, CdcStreamStatus, StreamMode } from "../cdc-stream";

/** A CdcStream for unit tests: records what was asked of it; start() can be made to fail or to wait. */
export interface FakeCdcStream extends CdcStream {
  /** "start", "stop", "mode watch", … in call order, shared between the fakes given one log. */
  readonly calls: string[];
  /** What status() answers (mode and phase kept current by the fake). */
  current: CdcStreamStatus;
  /** Errors the next start() calls reject with, one per call. */
  failStarts: unknown[];
  /** While set, start() waits for it. */
  startGate: Promise<void> | null;
}

/** A fake stream of `direction`; `log` collects the calls of several fakes in one order. */
export function createFakeCdcStream(direction: string, log: string[] = []): FakeCdcStream {
  const stream: FakeCdcStream = {
    direction,
    calls: log,
    failStarts: [],
    startGate: null,
    current: {
      transport: "embedded",
      direction,
      phase: "stopped",
      confirmedLsn: null,
      lastEventAt: null,
      lagSeconds: null,
      applied: 0,
      deadLettered: 0,
      mode: "apply",
      violations: 0,
      lastViolationAt: null,
    },
    async start() {
      log.push(`${direction} start`);
      if (stream.startGate) await stream.startGate;
      const failure = stream.failStarts.shift();
      if (failure !== undefined) throw failure;
      stream.current = { ...stream.current, phase: "streaming" };
    },
    async stop() {
      log.push(`${direction} stop`);
      stream.current = { ...stream.current, phase: "stopped" };
    },
    async setMode(mode: StreamMode) {
      log.push(`${direction} mode ${mode}`);
      stream.current = { ...stream.current, mode };
    },
    status: () => stream.current,
  };
  return stream;
}
