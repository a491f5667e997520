import { createCircuitBreaker, type BreakerState } from "./circuit-breaker";

function setup() {
  let time = 0;
  const transitions: Array<[BreakerState, BreakerState]> = [];
  const breaker = createCircuitBreaker({
    failureThreshold: 3,
    openMs: 1000,
    now: () => time,
    onTransition: (from, to) => transitions.push([from, to]),
  });
  /** Three consecutive failures: opens a closed breaker. */
  const trip = (error = "x") => {
    for (let i = 0; i < 3; i++) breaker.failure(breaker.acquire(), error);
  };
  return { breaker, transitions, trip, advance: (ms: number) => (time += ms) };
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
    const { breaker, advance, trip } = setup();
    trip();
    advance(999);
    expect(breaker.acquire()).toBe("reject");
    advance(1);
    expect(breaker.snapshot().state).toBe("half-open");
    expect(breaker.acquire()).toBe("probe");
    expect(breaker.acquire()).toBe("reject");
  });

  it("closes when the probe succeeds", () => {
    const { breaker, advance, transitions, trip } = setup();
    trip();
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
    const { breaker, advance, trip } = setup();
    trip();
    advance(1000);
    breaker.failure(breaker.acquire(), "still down");
    expect(breaker.snapshot()).toMatchObject({ state: "open", lastError: "still down" });
    advance(999);
    expect(breaker.acquire()).toBe("reject");
    advance(1);
    expect(breaker.acquire()).toBe("probe");
  });

  it("frees the probe slot when the probe ends without a verdict", () => {
    const { breaker, advance, trip } = setup();
    trip();
    advance(1000);
    const probe = breaker.acquire();
    breaker.release(probe);
    expect(breaker.acquire()).toBe("probe");
  });

  it("is not closed by a late success of a request sent before it opened", () => {
    const { breaker, trip } = setup();
    const early = breaker.acquire();
    trip();
    breaker.success(early);
    expect(breaker.snapshot().state).toBe("open");
  });

  it("records when and why it last failed, and nothing before a failure", () => {
    const { breaker, advance } = setup();
    expect(breaker.snapshot()).toEqual({ state: "closed", failures: 0, lastError: null, lastErrorAt: null });
    advance(1234);
    breaker.failure(breaker.acquire(), "HTTP 503");
    expect(breaker.snapshot()).toEqual({
      state: "closed",
      failures: 1,
      lastError: "HTTP 503",
      lastErrorAt: new Date(1234),
    });
  });

  it("keeps counting failures while open without closing, and a late success does not reset the count", () => {
    const { breaker, trip } = setup();
    const early = breaker.acquire();
    trip();
    breaker.success(early);
    expect(breaker.snapshot()).toMatchObject({ state: "open", failures: 3 });
  });

  it("is not re-opened (nor its open time restarted) by a late failure while half-open", () => {
    const { breaker, advance, transitions, trip } = setup();
    const early = breaker.acquire();
    trip();
    advance(1000);
    const probe = breaker.acquire();
    breaker.failure(early, "late");
    expect(breaker.snapshot().state).toBe("half-open");
    breaker.success(probe);
    expect(breaker.snapshot()).toMatchObject({ state: "closed", failures: 0 });
    expect(transitions).toEqual([
      ["closed", "open"],
      ["open", "half-open"],
      ["half-open", "closed"],
    ]);
  });

  it("keeps the probe slot taken when a request that was not the probe ends without a verdict", () => {
    const { breaker, advance, trip } = setup();
    const early = breaker.acquire();
    trip();
    advance(1000);
    expect(breaker.acquire()).toBe("probe");
    breaker.release(early);
    expect(breaker.acquire()).toBe("reject");
  });

  it("keeps the probe slot taken when a request that was not the probe succeeds late", () => {
    const { breaker, advance, trip } = setup();
    const early = breaker.acquire();
    trip();
    advance(1000);
    expect(breaker.acquire()).toBe("probe");
    breaker.success(early);
    expect(breaker.acquire()).toBe("reject");
    expect(breaker.snapshot().state).toBe("half-open");
  });

  it("restarts the open time from the probe's failure", () => {
    const { breaker, advance, trip } = setup();
    trip();
    advance(5000);
    breaker.failure(breaker.acquire(), "still down");
    advance(999);
    expect(breaker.snapshot().state).toBe("open");
    advance(1);
    expect(breaker.snapshot().state).toBe("half-open");
  });

  it("reports each transition once", () => {
    const { breaker, advance, transitions } = setup();
    for (let i = 0; i < 5; i++) breaker.failure(breaker.acquire(), "x");
    advance(1000);
    breaker.snapshot();
    breaker.snapshot();
    breaker.failure(breaker.acquire(), "x");
    expect(transitions).toEqual([
      ["closed", "open"],
      ["open", "half-open"],
      ["half-open", "open"],
    ]);
  });

  it("works on the system clock and without a transition listener", () => {
    jest.useFakeTimers({ now: 10_000 });
    try {
      const breaker = createCircuitBreaker({ failureThreshold: 1, openMs: 1000 });
      breaker.failure(breaker.acquire(), "x");
      expect(breaker.snapshot()).toMatchObject({ state: "open", lastErrorAt: new Date(10_000) });
      jest.setSystemTime(10_999);
      expect(breaker.acquire()).toBe("reject");
      jest.setSystemTime(11_000);
      expect(breaker.acquire()).toBe("probe");
    } finally {
      jest.useRealTimers();
    }
  });

  it("lets a probe through again the next time it half-opens, after a probe closed it", () => {
    const { breaker, advance, trip } = setup();
    trip();
    advance(1000);
    breaker.success(breaker.acquire());
    trip("y");
    advance(1000);
    expect(breaker.acquire()).toBe("probe");
  });

  it("takes no verdict from a request it rejected: it never reached the service", () => {
    const { breaker, advance, trip } = setup();
    trip();
    advance(1000);
    const probe = breaker.acquire();
    const rejected = breaker.acquire();
    expect(rejected).toBe("reject");
    breaker.success(probe);
    breaker.failure(breaker.acquire(), "after closing");
    breaker.success(rejected);
    expect(breaker.snapshot()).toMatchObject({ state: "closed", failures: 1 });
  });

  it("reports no transition when a released probe's late success finds it closed already", () => {
    const { breaker, advance, transitions, trip } = setup();
    trip();
    advance(1000);
    const abandoned = breaker.acquire();
    breaker.release(abandoned);
    breaker.success(breaker.acquire());
    breaker.success(abandoned);
    expect(transitions).toEqual([
      ["closed", "open"],
      ["open", "half-open"],
      ["half-open", "closed"],
    ]);
  });
});
