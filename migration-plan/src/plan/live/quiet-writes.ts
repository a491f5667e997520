import type { CdcStatusDocument, GateResult } from "@strangler/ops-contract";

export interface QuietWritesOptions {
  readCdcStatus: () => Promise<CdcStatusDocument>;
  /** The stream that carries the old writer's changes (forward: legacy writes; reverse: the service's). */
  direction: string;
  windowMs: number;
  timeoutMs: number;
  pollMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Waits until the stream that carries the old writer's changes has applied nothing for a whole
 * window: the old side's writes have stopped (its in-flight requests finished). The other stream's
 * own writes are echoes it never applies (ADR 0005), so they do not count. Fails at the timeout
 * with how many writes the stream applied in the last window.
 */
export async function waitForQuietWrites(options: QuietWritesOptions): Promise<GateResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const gate = "quiet writes";
  const started = now();
  let applied: number | null = null;
  let quietSince = started;
  let lastChange = 0;
  for (;;) {
    let status: CdcStatusDocument | null = null;
    try {
      status = await options.readCdcStatus();
    } catch {
      status = null;
    }
    const stream = status?.streams.find((s) => s.direction === options.direction);
    if (stream && stream.phase === "streaming") {
      if (applied !== null && stream.applied !== applied) {
        lastChange = stream.applied - applied;
        quietSince = now();
      }
      applied = stream.applied;
      if (now() - quietSince >= options.windowMs)
        return {
          gate,
          verdict: "pass",
          message: `the stream ${options.direction} applied no write for ${options.windowMs / 1000} s: the old writer is quiet`,
          figures: { direction: options.direction, windowMs: options.windowMs, applied },
        };
    } else quietSince = now();
    if (now() - started >= options.timeoutMs)
      return {
        gate,
        verdict: "fail",
        message: stream
          ? `the stream ${options.direction} still applies writes after ${options.timeoutMs / 1000} s (${lastChange} in its last change): something still writes on the old side`
          : `no CDC stream ${options.direction} reports its status: the old writer cannot be seen quiet`,
        figures: { direction: options.direction, timeoutMs: options.timeoutMs, applied },
      };
    await sleep(options.pollMs);
  }
}
