import { twoProportionsExcess } from "./two-proportions";

// The non-inferiority z-test on a difference of proportions with the unpooled standard error
// (Chow, Shao & Wang, Sample Size Calculations in Clinical Research, §4.2). Reference p-values:
// SciPy 1.17 norm.sf of the statistic; calibration: the exact rejection rate at the margin's
// boundary, summed over every outcome of two binomials.

function binomialPmf(n: number, p: number): number[] {
  const pmf = [Math.pow(1 - p, n)];
  for (let k = 1; k <= n; k += 1) pmf.push(((pmf[k - 1] as number) * (n - k + 1) * p) / (k * (1 - p)));
  return pmf;
}

describe("twoProportionsExcess", () => {
  it("gives the textbook statistic and its one-sided p-value", () => {
    const a = twoProportionsExcess({ trials: 1000, events: 50 }, { trials: 1000, events: 20 }, 0.01);
    expect(a.z).toBeCloseTo(2.4415675011949207, 9);
    expect(a.pValue).toBeCloseTo(0.007311827105383008, 7);
    const b = twoProportionsExcess({ trials: 800, events: 12 }, { trials: 7200, events: 10 }, 0.001);
    expect(b).toMatchObject({ rate1: 0.015, rate2: 10 / 7200 });
    expect(b.pValue).toBeCloseTo(0.0017539897030169691, 7);
    // An excess exactly at the margin: no evidence either way.
    expect(twoProportionsExcess({ trials: 1000, events: 3 }, { trials: 1000, events: 2 }, 0.001).pValue).toBeCloseTo(
      0.5,
      6,
    );
  });

  it("rejects about as often as its level when the true excess is exactly the margin (exact over both binomials)", () => {
    const n = 400;
    const [p2, margin, alpha] = [0.05, 0.02, 0.05];
    const pmf1 = binomialPmf(n, p2 + margin);
    const pmf2 = binomialPmf(n, p2);
    let rejected = 0;
    pmf1.forEach((q1, e1) =>
      pmf2.forEach((q2, e2) => {
        if (twoProportionsExcess({ trials: n, events: e1 }, { trials: n, events: e2 }, margin).pValue < alpha)
          rejected += q1 * q2;
      }),
    );
    expect(rejected).toBeGreaterThan(0.03);
    expect(rejected).toBeLessThan(0.07);
  });

  it("is exact without variance and has no evidence on an empty side", () => {
    expect(twoProportionsExcess({ trials: 100, events: 0 }, { trials: 100, events: 0 }, 0.001).pValue).toBe(1);
    expect(twoProportionsExcess({ trials: 100, events: 100 }, { trials: 100, events: 0 }, 0.001).pValue).toBe(0);
    expect(twoProportionsExcess({ trials: 0, events: 0 }, { trials: 100, events: 3 }, 0.001).pValue).toBe(1);
    expect(() => twoProportionsExcess({ trials: 10, events: 11 }, { trials: 10, events: 0 }, 0)).toThrow(/11 of 10/);
  });
});
