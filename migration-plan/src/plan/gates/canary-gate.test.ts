import { canaryGate, type SideTraffic } from "./canary-gate";

// Buckets of the test's own (ms): ≤10, ≤20, ≤40, ≤80, ≤160, ≤320, overflow.
const BOUNDS = [10, 20, 40, 80, 160, 320];
const thresholds = { minSample: 50, confidence: 0.98, maxErrorRateIncrease: 0.001, maxLatencyRatio: 1.2 };
const side = (requests: number, errors: number, latency: number[]): SideTraffic => ({ requests, errors, latency });
const input = (legacy: SideTraffic, service: SideTraffic, share = 10) => ({
  legacy,
  service,
  bucketBoundsMs: BOUNDS,
  share,
});

// 1,000 requests, median 31.43 ms (20 + 20 × 400/700), p95 80 ms.
const LEGACY = side(1000, 1, [0, 100, 700, 150, 50, 0, 0]);

describe("canaryGate", () => {
  it("holds below the minimum sample on either side, however bad the service looks: never passes without evidence", () => {
    const gate = canaryGate(input(LEGACY, side(12, 12, [0, 0, 0, 0, 0, 0, 12])), thresholds);
    expect(gate).toMatchObject({
      verdict: "hold",
      figures: { serviceRequests: 12, legacyRequests: 1000, minSample: 50 },
    });
    expect(gate.message).toBe("canary at 10 %: 12 of 50 requests on the service so far: hold");
    const both = canaryGate(
      input(side(30, 0, [0, 0, 30, 0, 0, 0, 0]), side(0, 0, [0, 0, 0, 0, 0, 0, 0]), 1),
      thresholds,
    );
    expect(both.message).toBe(
      "canary at 1 %: 0 of 50 requests on the service and 30 of 50 requests on legacy so far: hold",
    );
  });

  it("fails when the service's error rate is significantly above legacy's plus the allowance, naming both rates", () => {
    const gate = canaryGate(input(LEGACY, side(1000, 40, [0, 100, 700, 150, 50, 0, 0])), thresholds);
    expect(gate.verdict).toBe("fail");
    expect(gate.message).toMatch(
      /^canary at 10 %: service error rate 4\.00 % against legacy 0\.10 %, 3\.90 points above where 0\.10 are allowed \(p < 0\.0001 < 0\.02\): fail$/,
    );
    expect(gate.figures).toMatchObject({ serviceErrorRate: 0.04, legacyErrorRate: 0.001 });
  });

  it("does not fail on a higher error rate that the sample cannot tell from noise", () => {
    // 2 errors against 1 in 1,000: 0.1 point more, within chance.
    const gate = canaryGate(input(LEGACY, side(1000, 2, [0, 100, 700, 150, 50, 0, 0])), thresholds);
    expect(gate.verdict).toBe("pass");
    expect(Number(gate.figures.errorPValue)).toBeGreaterThan(0.02);
  });

  it("fails when the service is significantly slower and its median over the ratio, naming medians, p95 and the ratio", () => {
    // Median 66.67 ms (40 + 40 × 400/600), p95 160 ms: 2.12× legacy's.
    const gate = canaryGate(input(LEGACY, side(1000, 1, [0, 0, 100, 600, 250, 50, 0])), thresholds);
    expect(gate.verdict).toBe("fail");
    expect(gate.message).toBe(
      "canary at 10 %: service slower: median 66.67 ms against legacy 31.43 ms (2.12×, over 1.2×), p95 160 ms against 80 ms (Mann-Whitney p < 0.0001 < 0.02): fail",
    );
    expect(gate.figures).toMatchObject({ latencyRatio: 2.121, serviceP95: 160, legacyP95: 80 });
  });

  it("passes a tiny but significant latency difference under the ratio: the effect size decides", () => {
    const legacy = side(100_000, 50, [0, 10_000, 70_000, 15_000, 5_000, 0, 0]);
    const service = side(100_000, 50, [0, 8_000, 71_000, 15_500, 5_500, 0, 0]);
    const gate = canaryGate(input(legacy, service, 50), thresholds);
    expect(Number(gate.figures.latencyPValue)).toBeLessThan(1e-6);
    expect(gate).toMatchObject({ verdict: "pass", figures: { serviceP50: 31.83, legacyP50: 31.43 } });
    expect(Number(gate.figures.latencyRatio)).toBeLessThan(1.02);
  });

  it("does not fail on a median over the ratio that is not significant", () => {
    // Ten of sixty requests one bucket up: the interpolated median moves 1.23×, the ranks say p ≈ 0.035.
    const legacy = side(60, 0, [0, 0, 35, 25, 0, 0, 0]);
    const service = side(60, 0, [0, 0, 25, 35, 0, 0, 0]);
    const gate = canaryGate(input(legacy, service), thresholds);
    expect(Number(gate.figures.latencyRatio)).toBeGreaterThan(1.2);
    expect(Number(gate.figures.latencyPValue)).toBeGreaterThan(0.02);
    expect(gate.verdict).toBe("pass");
  });

  it("passes with the figures of both sides when the service is as good", () => {
    const gate = canaryGate(input(LEGACY, side(1000, 1, [0, 100, 700, 150, 50, 0, 0])), thresholds);
    expect(gate).toMatchObject({
      verdict: "pass",
      figures: { serviceRequests: 1000, legacyRequests: 1000, serviceP50: 31.43, legacyP50: 31.43, latencyRatio: 1 },
    });
    expect(gate.message).toMatch(
      /^canary at 10 %: 1000 requests on the service, 1000 on legacy; error rate 0\.10 % against 0\.10 % \(p = 0\.\d{4}\); median 31\.43 ms against 31\.43 ms \(1\.00×\), p95 80 ms against 80 ms \(p = 0\.\d{4}\): pass$/,
    );
  });

  it("refuses a histogram that does not fit the bounds", () => {
    expect(() => canaryGate(input(LEGACY, side(100, 0, [100])), thresholds)).toThrow(
      /service latency histogram has 1 buckets, the bounds ask for 7/,
    );
  });
});
