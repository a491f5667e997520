import { childTraceparent, newTraceparent, parseTraceparent, primaryTraceparent, traceIdOf } from "./trace-context";

const VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("parseTraceparent", () => {
  it("splits a valid version 00 header", () => {
    expect(parseTraceparent(VALID)).toEqual({
      version: "00",
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      parentId: "00f067aa0ba902b7",
      flags: "01",
    });
  });

  it.each([
    ["missing", undefined],
    ["sent twice", [VALID, VALID]],
    ["too short", VALID.slice(0, 54)],
    ["version 00 with extra fields", `${VALID}-extra`],
    ["version ff", `ff${VALID.slice(2)}`],
    ["upper-case hex", VALID.toUpperCase()],
    ["all-zero trace id", `00-${"0".repeat(32)}-00f067aa0ba902b7-01`],
    ["all-zero parent id", `00-4bf92f3577b34da6a3ce929d0e0e4736-${"0".repeat(16)}-01`],
    ["wrong separators", VALID.replace(/-/g, "_")],
    ["non-hex flags", `${VALID.slice(0, 53)}zz`],
  ])("refuses a header that is %s", (_label, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it("accepts a later version with more fields after a dash", () => {
    expect(parseTraceparent(`01${VALID.slice(2)}-future`)?.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(parseTraceparent(`01${VALID.slice(2)}future`)).toBeUndefined();
  });
});

describe("primaryTraceparent", () => {
  it("keeps a valid incoming traceparent as sent", () => {
    expect(primaryTraceparent(VALID)).toBe(VALID);
  });

  it("starts a new sampled trace when none or an invalid one comes in", () => {
    for (const incoming of [undefined, "garbage", VALID.toUpperCase()]) {
      const started = primaryTraceparent(incoming);
      expect(parseTraceparent(started)).toMatchObject({ version: "00", flags: "01" });
      expect(started).not.toBe(incoming);
    }
  });
});

describe("newTraceparent and childTraceparent", () => {
  it("draws different trace and span ids each time", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newTraceparent()));
    expect(ids.size).toBe(1000);
    const traceIds = new Set([...ids].map(traceIdOf));
    expect(traceIds.size).toBe(1000);
  });

  it("gives a child the parent's trace id and flags and a new span id", () => {
    const child = childTraceparent(VALID);
    const parsed = parseTraceparent(child);
    expect(parsed?.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(parsed?.flags).toBe("01");
    expect(parsed?.parentId).not.toBe("00f067aa0ba902b7");
    expect(traceIdOf(child)).toBe(traceIdOf(VALID));
  });
});
