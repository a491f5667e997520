import { equalUnderNormalisers, nullIsMissing, parseTimestamp } from "./normalisers";

describe("parseTimestamp", () => {
  it.each([
    ["2026-12-02T10:00:00Z", Date.UTC(2026, 11, 2, 10)],
    ["2026-12-02t10:00:00z", Date.UTC(2026, 11, 2, 10)],
    ["2026-12-02 10:00:00", Date.UTC(2026, 11, 2, 10)],
    ["2026-12-02T10:00Z", Date.UTC(2026, 11, 2, 10)],
    ["2026-12-02T10:00:07.5Z", Date.UTC(2026, 11, 2, 10, 0, 7, 500)],
    ["2026-12-02T10:00:07,123456Z", Date.UTC(2026, 11, 2, 10, 0, 7, 123)],
    ["2026-12-02T10:00:00+05:30", Date.UTC(2026, 11, 2, 4, 30)],
    ["2026-12-02T10:00:00-0230", Date.UTC(2026, 11, 2, 12, 30)],
    ["2026-12-02T10:00:00+18:00", Date.UTC(2026, 11, 1, 16)],
    ["2026-01-31T23:59:60Z", Date.UTC(2026, 0, 31, 23, 59, 60)],
    ["2026-01-01T00:00:00Z", Date.UTC(2026, 0, 1)],
  ])("reads %s", (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  it.each([
    "2026-12-02",
    "2026-12-02T10",
    "x2026-12-02T10:00:00Z",
    "2026-12-02T10:00:00Zx",
    "2026-12-02T10:00:00+5",
    "2026-00-02T10:00:00Z",
    "2026-13-02T10:00:00Z",
    "2026-12-00T10:00:00Z",
    "2026-12-32T10:00:00Z",
    "2026-12-02T24:00:00Z",
    "2026-12-02T10:60:00Z",
    "2026-12-02T10:00:61Z",
    "2026-12-02T10:00:00+18:01",
    "2026-12-02T10:00:00-19:00",
  ])("rejects %s", (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });

  it("accepts the edges of each range", () => {
    expect(parseTimestamp("2026-12-31T23:59:59Z")).toBe(Date.UTC(2026, 11, 31, 23, 59, 59));
    expect(parseTimestamp("2026-01-01T00:00:00-18:00")).toBe(Date.UTC(2026, 0, 1, 18));
  });
});

describe("equalUnderNormalisers", () => {
  it("takes numbers exactly at the tolerance as equal, and not a hair beyond", () => {
    const half = [{ kind: "tolerance" as const, amount: 0.5 }];
    expect(equalUnderNormalisers(1, 1.5, half)).toBe(true);
    expect(equalUnderNormalisers(1.5, 1, half)).toBe(true);
    expect(equalUnderNormalisers(1, 1.5000001, half)).toBe(false);
  });

  it("allows for rounding relative to the numbers' size", () => {
    const none = [{ kind: "tolerance" as const, amount: 0 }];
    expect(equalUnderNormalisers(1e17, 1e17 + 16, none)).toBe(true);
    expect(equalUnderNormalisers(1, 1 + 2 ** -40, none)).toBe(false);
  });

  it("applies no normaliser to values of the wrong type, and none without normalisers", () => {
    expect(equalUnderNormalisers("A", "a", [])).toBe(false);
    expect(equalUnderNormalisers("1", 1, [{ kind: "tolerance", amount: 5 }])).toBe(false);
    expect(equalUnderNormalisers(1, 2, [{ kind: "caseInsensitive" }])).toBe(false);
    expect(equalUnderNormalisers(1, 2, [{ kind: "timestampPrecision", unitMs: 1_000 }])).toBe(false);
    expect(equalUnderNormalisers(null, 2, [{ kind: "nullIsMissing" }])).toBe(false);
  });

  it("takes any matching normaliser among several", () => {
    const both = [{ kind: "caseInsensitive" as const }, { kind: "tolerance" as const, amount: 1 }];
    expect(equalUnderNormalisers("A", "a", both)).toBe(true);
    expect(equalUnderNormalisers(1, 2, both)).toBe(true);
  });

  it("knows which normalisers make null and missing alike", () => {
    expect(nullIsMissing([{ kind: "caseInsensitive" }])).toBe(false);
    expect(nullIsMissing([{ kind: "caseInsensitive" }, { kind: "nullIsMissing" }])).toBe(true);
  });
});
