import {
  type CdcStatusDocument,
  emptyParityCounts,
  type ParityRunReport,
  type RouteDiffReport,
} from "@strangler/ops-contract";
import { cdcLagGate } from "./cdc-lag-gate";
import { parityGate } from "./parity-gate";
import { shadowGate } from "./shadow-gate";

const route = (routeId: string, compared: number, matches: number, signaturePath?: string): RouteDiffReport => ({
  routeId,
  service: "accounts",
  compared,
  matches,
  mismatches: compared - matches,
  noiseOnly: 0,
  cdcFirst: 0,
  candidateErrors: 0,
  candidateTimeouts: 0,
  skipped: {},
  matchRate: compared === 0 ? null : matches / compared,
  latency: {
    legacy: { count: 0, p50: null, p95: null, p99: null },
    service: { count: 0, p50: null, p95: null, p99: null },
  },
  signatures: signaturePath
    ? [
        {
          signature: `value ${signaturePath}`,
          fields: [{ path: signaturePath, kind: "value" }],
          count: compared - matches,
          share: 0.1,
          exampleId: null,
        },
      ]
    : [],
  noise: [],
});

describe("shadowGate", () => {
  const thresholds = { minSample: 200, minMatchRate: 0.999 };

  it("holds with too little traffic, whatever the match rate: it never passes or fails on thin evidence", () => {
    const gate = shadowGate([route("accounts-get", 150, 0, "/name")], thresholds);
    expect(gate).toMatchObject({ verdict: "hold", figures: { compared: 150, minSample: 200 } });
    expect(gate.message).toMatch(/150 of the 200 compared requests .* too little traffic/);
    expect(shadowGate([], thresholds).verdict).toBe("hold");
  });

  it("fails below the match rate, naming the worst route and the field path of its most frequent difference", () => {
    const gate = shadowGate([route("accounts-get", 300, 240, "/name"), route("accounts-list", 100, 100)], thresholds);
    expect(gate.verdict).toBe("fail");
    expect(gate.message).toMatch(/match rate 85\.00 % over 400 compared requests, 14\.90 % below 99\.90 %/);
    expect(gate.message).toMatch(/worst route accounts-get at 80\.00 %, most frequent difference: \/name \(value\)/);
  });

  it("passes at or above the match rate over the minimum sample", () => {
    expect(shadowGate([route("accounts-get", 1000, 1000)], thresholds)).toMatchObject({
      verdict: "pass",
      figures: { matchRate: 1 },
    });
  });
});

describe("parityGate", () => {
  const now = Date.parse("2026-12-02T12:00:00Z");
  const run = (equal: boolean, finishedAt: string): ParityRunReport => ({
    runId: "pr-1",
    startedAt: finishedAt,
    finishedAt,
    status: "done",
    lagAware: true,
    warnings: [],
    files: [],
    tables: [
      {
        service: "accounts",
        legacyTable: "accounts",
        serviceTable: "account_profiles",
        keyColumns: ["account_id"],
        mode: "full",
        owner: "legacy",
        status: "done",
        counts: { ...emptyParityCounts(), processed: 10, matching: equal ? 10 : 9, mismatched: equal ? 0 : 1 },
        columns: equal ? {} : { email: 1 },
        lastKey: ["10"],
        equal,
        startedAt: finishedAt,
        finishedAt,
      },
    ],
  });
  const thresholds = { maxAgeSeconds: 3600 };

  it("holds without a run covering the tables, and when the last one is too old", () => {
    expect(parityGate(undefined, "accounts", ["accounts"], thresholds, now).verdict).toBe("hold");
    expect(
      parityGate(run(true, "2026-12-02T11:00:00Z"), "accounts", ["accounts", "orders"], thresholds, now).verdict,
    ).toBe("hold");
    const old = parityGate(run(true, "2026-12-02T09:00:00Z"), "accounts", ["accounts"], thresholds, now);
    expect(old).toMatchObject({ verdict: "hold", figures: { ageSeconds: 10_800 } });
    expect(old.message).toMatch(/10800 s old, 7200 s over 3600 s/);
  });

  it("fails on a difference, naming the table and its counts; passes on a recent equal run", () => {
    const failed = parityGate(run(false, "2026-12-02T11:30:00Z"), "accounts", ["accounts"], thresholds, now);
    expect(failed.verdict).toBe("fail");
    expect(failed.message).toMatch(
      /accounts → account_profiles differs \(1 mismatched, 0 only in legacy, 0 only in the service\)/,
    );
    expect(parityGate(run(true, "2026-12-02T11:30:00Z"), "accounts", ["accounts"], thresholds, now).verdict).toBe(
      "pass",
    );
  });
});

describe("cdcLagGate", () => {
  const status = (phase: "streaming" | "snapshot", lagSeconds: number | null): CdcStatusDocument => ({
    warnings: [],
    streams: [
      {
        transport: "embedded",
        direction: "ledger-to-accounts",
        phase,
        confirmedLsn: "0/1",
        lastEventAt: null,
        lagSeconds,
        applied: 1,
        deadLettered: 0,
      },
    ],
  });

  it("holds while the stream is unknown or not streaming, fails over the lag bound, passes within it", () => {
    expect(cdcLagGate(null, "ledger-to-accounts", 5).verdict).toBe("hold");
    expect(cdcLagGate(status("snapshot", null), "ledger-to-accounts", 5).message).toMatch(/is snapshot, not streaming/);
    const lagging = cdcLagGate(status("streaming", 7.5), "ledger-to-accounts", 5);
    expect(lagging).toMatchObject({ verdict: "fail", figures: { lagSeconds: 7.5 } });
    expect(lagging.message).toMatch(/lags 7\.5 s, 2\.5 s over 5 s/);
    expect(cdcLagGate(status("streaming", 0.2), "ledger-to-accounts", 5).verdict).toBe("pass");
  });
});
