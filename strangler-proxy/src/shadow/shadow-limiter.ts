/** Mirrored requests in flight in this worker, capped: over the cap a request is not mirrored (never queued). */
export interface ShadowLimiter {
  /** Takes a slot; false when all are taken. */
  tryAcquire(): boolean;
  release(): void;
  inFlight(): number;
}

/** A counter of mirrored requests in flight, at most `cap`. */
export function createShadowLimiter(cap: number): ShadowLimiter {
  let inFlight = 0;
  return {
    tryAcquire() {
      if (inFlight >= cap) return false;
      inFlight += 1;
      return true;
    },
    release() {
      // A double release would let more than `cap` mirrors run: never go below zero.
      if (inFlight > 0) inFlight -= 1;
    },
    inFlight: () => inFlight,
  };
}
