import { createShadowLimiter } from "./shadow-limiter";

describe("createShadowLimiter", () => {
  it("grants up to the cap, refuses above it, and grants again after a release", () => {
    const limiter = createShadowLimiter(2);
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(false);
    expect(limiter.inFlight()).toBe(2);
    limiter.release();
    expect(limiter.inFlight()).toBe(1);
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(false);
  });

  it("never counts below zero, so an extra release cannot raise the cap", () => {
    const limiter = createShadowLimiter(1);
    limiter.release();
    expect(limiter.inFlight()).toBe(0);
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(false);
  });
});
