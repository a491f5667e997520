/** Pauses and resumes whatever feeds a queue. */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

/**
 * Counts the messages waiting in a queue and pauses the producer at `high`, resuming it once the
 * queue drained to `low`. Bounds memory under a burst when the consumer (the sink) is slower than
 * the producer (the replication connection): paused, the socket stops reading, TCP fills and the
 * walsender waits, so the backlog stays in WAL instead of in this process.
 */
export interface FlowGate {
  /** A message was queued. */
  enter(): void;
  /** A queued message was handled. */
  leave(): void;
  /** Messages queued now. */
  depth(): number;
  /** The most that were queued at once since creation. */
  peak(): number;
  paused(): boolean;
}

export function createFlowGate(options: { high: number; low: number }, control: FlowControl): FlowGate {
  if (!(options.low >= 0 && options.low < options.high))
    throw new Error(`flow gate: low (${options.low}) must be at least 0 and below high (${options.high})`);
  let depth = 0;
  let peak = 0;
  let paused = false;
  return {
    enter() {
      depth += 1;
      if (depth > peak) peak = depth;
      if (!paused && depth >= options.high) {
        paused = true;
        control.pause();
      }
    },
    leave() {
      depth = Math.max(0, depth - 1);
      if (paused && depth <= options.low) {
        paused = false;
        control.resume();
      }
    },
    depth: () => depth,
    peak: () => peak,
    paused: () => paused,
  };
}
