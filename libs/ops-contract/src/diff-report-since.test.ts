import { parseDiffSince } from "./diff-report-since";

const NOW = Date.parse("2026-12-02T12:00:00Z");

describe("parseDiffSince", () => {
  it.each([
    ["30s", NOW - 30_000],
    ["15m", NOW - 15 * 60_000],
    ["1h", NOW - 3_600_000],
    ["2d", NOW - 2 * 86_400_000],
    ["2026-12-02T10:30:00Z", Date.parse("2026-12-02T10:30:00Z")],
    ["2026-12-02T11:30:00+01:00", Date.parse("2026-12-02T10:30:00Z")],
    ["2026-12-01", Date.parse("2026-12-01")],
  ])("reads %s as a window start", (value, expected) => {
    expect(parseDiffSince(value, NOW)).toEqual({ ok: true, since: expected });
  });

  it.each([
    ["1 hour", /neither a duration/],
    ["1w", /neither a duration/],
    ["-5m", /neither a duration/],
    ["0m", /empty window/],
    ["2026-13-45T99:00:00Z", /not a valid time/],
    ["2027-01-01T00:00:00Z", /in the future/],
    ["", /neither a duration/],
  ])("rejects %j with a reason", (value, reason) => {
    const result = parseDiffSince(value, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
