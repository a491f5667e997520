import type { SinkMode } from "../sink/create-sink";

/** What a stream does with its source's changes: apply them, or watch (record each as a violation). */
export type StreamMode = SinkMode;

/** A stream's mode, switched between batches (ADR 0019). */
export interface StreamModeSwitch {
  /** The mode the next batch reads. */
  readonly current: StreamMode;
  /**
   * Switches the mode; resolves once no batch started under the old mode is still in flight, so
   * every change after that is handled in the new mode and none in both (each batch reads it once).
   */
  set(mode: StreamMode): Promise<void>;
  /** Runs one batch, tracked as in flight until it settles. */
  run<T>(batch: () => Promise<T>): Promise<T>;
}

/** A mode switch starting in `initial`. */
export function createStreamModeSwitch(initial: StreamMode = "apply"): StreamModeSwitch {
  let current = initial;
  const inFlight = new Set<Promise<unknown>>();
  return {
    get current() {
      return current;
    },
    async set(mode) {
      current = mode;
      // Batches run one after another in both transports; waiting for all in flight is the general case.
      await Promise.allSettled([...inFlight]);
    },
    run(batch) {
      const running = batch();
      inFlight.add(running);
      const forget = () => inFlight.delete(running);
      running.then(forget, forget);
      return running;
    },
  };
}
