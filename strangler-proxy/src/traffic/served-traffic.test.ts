import { servedError, servedSide } from "./served-traffic";

describe("how a request counts in the served traffic", () => {
  it("counts on the side the flags chose and called", () => {
    expect(servedSide("flag-off", undefined)).toBe("legacy");
    expect(servedSide("flag-on", undefined)).toBe("service");
  });

  it("counts a read the service failed and the monolith answered once, on the service side, as an error", () => {
    for (const reason of ["status_5xx", "connect_error", "reset", "timeout"] as const) {
      expect(servedSide("fallback", reason)).toBe("service");
      expect(servedError(200, reason, false)).toBe(true);
    }
  });

  it("counts a read sent round an open breaker on the legacy side, and a write refused for it as a service error", () => {
    expect(servedSide("fallback", "breaker_open")).toBe("legacy");
    expect(servedError(200, "breaker_open", false)).toBe(false);
    expect(servedSide("breaker-open", undefined)).toBe("service");
    expect(servedError(503, undefined, false)).toBe(true);
  });

  it("does not count requests without a route or refused before routing", () => {
    expect(servedSide("no-route", undefined)).toBeUndefined();
    expect(servedSide("rejected", undefined)).toBeUndefined();
  });

  it("counts 5xx answers and answers broken off mid-body as errors, not 4xx or a client hanging up", () => {
    expect(servedError(500, undefined, false)).toBe(true);
    expect(servedError(504, undefined, false)).toBe(true);
    expect(servedError(200, undefined, true)).toBe(true);
    expect(servedError(404, undefined, false)).toBe(false);
    expect(servedError(499, undefined, false)).toBe(false);
  });
});
