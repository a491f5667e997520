import { createCircuitBreaker, type BreakerState } from "./circuit-breaker";

function setup() {
  let time = 0;
  const transitions: Array<[BreakerState, BreakerState]> = [];
  const breaker = createCircuitBreaker({ failureThreshold: 3, openMs: 1000, now: () => time, onTransition: (from, to) => transitions.push([from, to]) });
  return { breaker, transitions, advance: (ms: number) => (time += ms) };
}

describe("circuit breaker", () => {
  it("stays closed below the threshold and resets the count on a success", () => {
    const { breaker } = setup();
    breaker.failure(breaker.acquire(), "boom");
    breaker.failure(breaker.acquire(), "boom");
    breaker.success(breaker.acquire());
    breaker.failure(breaker.acquire(), "boom");
    breaker.failure(breaker.acquire(), "boom");
    expect(breaker.snapshot()).toMatchObject({ state: "closed", failures: 2, lastError: "boom" });
  });

  it("opens after failureThreshold consecutive failures and rejects while open", () => {
    const { breaker, transitions } = setup();
    for (let i = 0; i < 3; i++) breaker.failure(breaker.acquire(), `failure ${i}`);
    expect(breaker.snapshot()).toMatchObject({ state: "open", failures: 3, lastError: "failure 2" });
    expect(breaker.acquire()).toBe("reject");
    expect(transitions).toEqual([["closed", "open"]]);
  });

  it("lets exactly one probe through once openMs has passed", () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 3; i++) breaker.failure(breaker.acquire(), "x");
    advance(999);
    expect(breaker.acquire()).toBe("reject");
    advance(1);
    expect(breaker.snapshot().state).toBe("half-open");
    expect(breaker.acquire()).toBe("probe");
    expect(breaker.acquire()).toBe("reject");
  });

  it("closes when the probe succeeds", () => {
    const { breaker, advance, transitions } = setup();
    for (let i = 0; i < 3; i++) breaker.failure(breaker.acquire(), "x");
    advance(1000);
    breaker.success(breaker.acquire());
    expect(breaker.snapshot()).toMatchObject({ state: "closed", failures: 0 });
    expect(breaker.acquire()).toBe("pass");
    expect(transitions).toEqual([
      ["closed", "open"],
      ["open", "half-open"],
      ["half-open", "closed"],
    ]);
  });

  it("re-opens for another openMs when the probe fails", () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 3; i++) breaker.failure(breaker.acquire(), "x");
    advance(1000);
    breaker.failure(breaker.acquire(), "still down");
    expect(breaker.snapshot()).toMatchObject({ state: "open", lastError: "still down" });
    advance(999);
    expect(breaker.acquire()).toBe("reject");
    advance(1);
    expect(breaker.acquire()).toBe("probe");
  });

  it("frees the probe slot when the probe ends without a verdict", () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 3; i++) breaker.failure(breaker.acquire(), "x");
    advance(1000);
    const probe = breaker.acquire();
    breaker.release(probe);
    expect(breaker.acquire()).toBe("probe");
  });

  it("is not closed by a late success of a request sent before it opened", () => {
    const { breaker } = setup();
    const early = breaker.acquire();
    for (let i = 0; i < 3; i++) breaker.failure(breaker.acquire(), "x");
    breaker.success(early);
    expect(breaker.snapshot().state).toBe("open");
  });
});
