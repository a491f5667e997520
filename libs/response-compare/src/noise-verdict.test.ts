import type { Difference } from "./compare-types";
import { classifyDifferences, DEFAULT_NOISE_THRESHOLDS, isRegression } from "./noise-verdict";

const stats = (differing: number, compared: number, noiseDiffering: number, noiseCompared: number) => ({
  differing,
  compared,
  noiseDiffering,
  noiseCompared,
});

describe("isRegression", () => {
  it("flags a field that differs old-vs-new but never old-vs-old", () => {
    expect(isRegression(stats(30, 100, 0, 10))).toBe(true);
    expect(isRegression(stats(1, 1_000, 0, 0))).toBe(true);
  });

  it("does not flag a field that differs as often between two calls to the same side", () => {
    expect(isRegression(stats(100, 100, 10, 10))).toBe(false);
    expect(isRegression(stats(50, 100, 5, 10))).toBe(false);
  });

  it("needs the excess over the noise rate to pass the relative threshold", () => {
    // noise 50 %, new 59 %: 18 % above the noise rate (≤ 20) → noise; 61 %: 22 % above → regression.
    expect(isRegression(stats(59, 100, 50, 100))).toBe(false);
    expect(isRegression(stats(61, 100, 50, 100))).toBe(true);
  });

  it("needs the excess to pass the absolute threshold in percentage points", () => {
    // 2 in 10,000 vs none: 0.02 points ≤ 0.03 → not flagged; 4 in 10,000 → flagged.
    expect(isRegression(stats(2, 10_000, 0, 1_000))).toBe(false);
    expect(isRegression(stats(4, 10_000, 0, 1_000))).toBe(true);
    expect(isRegression(stats(20, 100, 0, 10), { relative: 20, absolute: 25 })).toBe(false);
  });

  it("flags nothing without comparisons, and uses Diffy's defaults", () => {
    expect(isRegression(stats(0, 0, 0, 0))).toBe(false);
    expect(DEFAULT_NOISE_THRESHOLDS).toStrictEqual({ relative: 20, absolute: 0.03 });
  });
});

describe("classifyDifferences", () => {
  const noisy = new Set(["/generatedAt", "/items/*/token"]);
  const isNoise = (path: string) => noisy.has(path);
  const at = (path: string): Difference => ({ path, kind: "value" });

  it("is a match without differences", () => {
    expect(classifyDifferences([], isNoise)).toStrictEqual({ verdict: "match", regressions: [], noise: [] });
  });

  it("is noise-only when every difference is on a noise path, array positions generalised", () => {
    const result = classifyDifferences([at("/generatedAt"), at("/items/3/token")], isNoise);
    expect(result).toStrictEqual({
      verdict: "noise-only",
      regressions: [],
      noise: [at("/generatedAt"), at("/items/3/token")],
    });
  });

  it("is a mismatch as soon as one difference is not noise, keeping the noise apart", () => {
    expect(classifyDifferences([at("/generatedAt"), at("/lastName")], isNoise)).toStrictEqual({
      verdict: "mismatch",
      regressions: [at("/lastName")],
      noise: [at("/generatedAt")],
    });
  });
});

describe("isRegression at the thresholds", () => {
  it("needs strictly more than each threshold", () => {
    // noise 1/2, new 5/8: 12.5 points above, 25 % of the noise rate (exact in binary).
    const at = stats(5, 8, 1, 2);
    expect(isRegression(at, { relative: 25, absolute: 0 })).toBe(false);
    expect(isRegression(at, { relative: 24.9, absolute: 0 })).toBe(true);
    expect(isRegression(at, { relative: 0, absolute: 12.5 })).toBe(false);
    expect(isRegression(at, { relative: 0, absolute: 12.4 })).toBe(true);
  });

  it("flags nothing when the new rate is below the noise rate or there is nothing at all", () => {
    expect(isRegression(stats(1, 10, 5, 10), { relative: 0, absolute: 0 })).toBe(false);
    expect(isRegression(stats(0, 10, 0, 10), { relative: 0, absolute: 0 })).toBe(false);
    expect(isRegression(stats(3, 0, 0, 0), { relative: 0, absolute: 0 })).toBe(false);
  });
});
