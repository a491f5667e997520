import { emptyParityCounts, type ParityTableReport } from "@strangler/ops-contract";
import { parseTimeout } from "./parity-data-command";
import { createProgress, progressLine } from "./parity-progress";

const report = (processed: number, mismatched = 0): ParityTableReport => ({
  service: "crm",
  legacyTable: "members",
  serviceTable: "crm.Member",
  keyColumns: ["memberId"],
  mode: "full",
  owner: "legacy",
  status: "running",
  counts: { ...emptyParityCounts(), processed, matching: processed - mismatched, mismatched },
  columns: {},
  lastKey: null,
  equal: false,
  startedAt: null,
  finishedAt: null,
});

describe("parity progress", () => {
  it("shows rows of the estimate, the rate, the time left and the differences so far", () => {
    expect(progressLine(report(250_000, 3), 1_000_000, 50_000)).toBe(
      "crm members → crm.Member: 250,000 / ~1,000,000 rows, 50,000 rows/s, ETA 15s, 3 differing so far",
    );
    expect(progressLine(report(10), 0, 0)).toMatch(/: 10 rows, 0 rows\/s, ETA \?/);
  });

  it("redraws one line at most once a second", () => {
    const written: string[] = [];
    let now = 0;
    const progress = createProgress(
      (text) => written.push(text),
      () => now,
    );
    progress.update(report(0), 100);
    now = 500;
    progress.update(report(40), 100);
    now = 1_500;
    progress.update(report(60), 100);
    progress.done();
    expect(written.filter((w) => w.startsWith("\r"))).toHaveLength(2);
    expect(written.at(-1)).toBe("\n");
  });
});

describe("parseTimeout", () => {
  it("reads milliseconds, seconds, minutes and bare seconds", () => {
    expect([parseTimeout("500ms"), parseTimeout("30s"), parseTimeout("2m"), parseTimeout("1.5")]).toEqual([
      500, 30_000, 120_000, 1_500,
    ]);
  });

  it("says what a bad time looks like", () => {
    expect(() => parseTimeout("soon")).toThrow(/--lag-timeout must be a time such as 500ms, 30s or 2m, got "soon"/);
  });
});
