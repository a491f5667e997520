import { mannWhitneyHistograms } from "./mann-whitney";
import { normalUpperTail } from "./normal-tail";

// Checked against what does not share the implementation's formulas: U counted pair by pair over
// the expanded samples, the exact null distribution of U by enumerating every split of the pooled
// sample (its variance is the tie-corrected one by definition), textbook normal quantiles, and
// p-values from SciPy 1.17 (`mannwhitneyu(x, y, alternative="greater", use_continuity=True,
// method="asymptotic")` on the expanded samples).

const expand = (histogram: readonly number[]): number[] =>
  histogram.flatMap((count, bucket) => Array<number>(count).fill(bucket));

/** U of x by counting: pairs with x > y, plus half the ties. */
function pairwiseU(x: readonly number[], y: readonly number[]): number {
  let u = 0;
  for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0;
  return u;
}

/** Every way to pick k of n positions. */
function* combinations(n: number, k: number, start = 0, picked: number[] = []): Generator<number[]> {
  if (picked.length === k) {
    yield picked;
    return;
  }
  for (let i = start; i <= n - (k - picked.length); i += 1) yield* combinations(n, k, i + 1, [...picked, i]);
}

/** The exact permutation distribution of U under H0: mean, variance and P(U ≥ observed). */
function exactNull(
  x: readonly number[],
  y: readonly number[],
): { mean: number; variance: number; tail: (u: number) => number } {
  const pooled = [...x, ...y];
  const values: number[] = [];
  for (const pick of combinations(pooled.length, x.length)) {
    const chosen = new Set(pick);
    values.push(
      pairwiseU(
        pick.map((i) => pooled[i] as number),
        pooled.filter((_, i) => !chosen.has(i)),
      ),
    );
  }
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return { mean, variance, tail: (u) => values.filter((v) => v >= u).length / values.length };
}

describe("normalUpperTail", () => {
  it("matches the normal table: 1.6449 → 5 %, 1.96 → 2.5 %, −3 → 99.865 %, and keeps far tails positive", () => {
    expect(normalUpperTail(1.6448536269514722)).toBeCloseTo(0.05, 7);
    expect(normalUpperTail(1.959963984540054)).toBeCloseTo(0.025, 7);
    expect(normalUpperTail(-3)).toBeCloseTo(0.9986501019683699, 7);
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    // SciPy norm.sf(5), norm.sf(8): relative error below 1e-6.
    expect(normalUpperTail(5) / 2.866515718791933e-7).toBeCloseTo(1, 5);
    expect(normalUpperTail(8) / 6.22096057427174e-16).toBeCloseTo(1, 5);
  });
});

describe("mannWhitneyHistograms", () => {
  const slower = [0, 2, 5, 9, 4, 1];
  const legacy = [1, 6, 8, 4, 1, 0];

  it("gives the U that counting pairs over the expanded samples gives, ties counted half", () => {
    for (const [x, y] of [
      [slower, legacy],
      [legacy, slower],
      [
        [3, 0, 0, 2],
        [1, 4, 0, 1],
      ],
    ] as const)
      expect(mannWhitneyHistograms(x, y).u).toBe(pairwiseU(expand(x), expand(y)));
  });

  it("uses the exact tie-corrected null variance of U (enumerated over every split of a small pooled sample)", () => {
    const x = [2, 1, 0, 2];
    const y = [1, 2, 2, 0];
    const exact = exactNull(expand(x), expand(y));
    const result = mannWhitneyHistograms(x, y);
    expect(exact.mean).toBeCloseTo((result.n1 * result.n2) / 2, 10);
    expect(result.z).toBeCloseTo((result.u - exact.mean - 0.5) / Math.sqrt(exact.variance), 10);
  });

  it("comes close to the exact permutation p-value on a moderate sample", () => {
    // 10 against 10 (184,756 splits): the normal approximation is within a point of the exact tail.
    const x = [1, 2, 3, 3, 1];
    const y = [3, 3, 2, 1, 1];
    const exact = exactNull(expand(x), expand(y));
    const result = mannWhitneyHistograms(x, y);
    expect(result.pValue).toBeGreaterThan(0.05);
    expect(Math.abs(result.pValue - exact.tail(result.u))).toBeLessThan(0.01);
  });

  it("agrees with SciPy's asymptotic test with continuity correction", () => {
    expect(mannWhitneyHistograms(slower, legacy)).toMatchObject({ u: 314 });
    expect(mannWhitneyHistograms(slower, legacy).pValue).toBeCloseTo(0.002531711067049472, 6);
    const same = [3, 7, 12, 7, 3, 0];
    expect(mannWhitneyHistograms(same, same).pValue).toBeCloseTo(0.5027849098519558, 6);
    expect(mannWhitneyHistograms([5, 9, 4, 1, 0, 0], slower)).toMatchObject({ u: 38.5 });
    expect(mannWhitneyHistograms([5, 9, 4, 1, 0, 0], slower).pValue).toBeCloseTo(0.9999964075211998, 6);
    const big = mannWhitneyHistograms([10, 200, 500, 250, 40, 0], [12, 230, 520, 200, 38, 0]);
    expect(big.u).toBe(531200);
    expect(big.pValue).toBeCloseTo(0.004308610572023825, 6);
  });

  it("has no evidence (p = 1) with an empty side or everything in one bucket", () => {
    expect(mannWhitneyHistograms([0, 0, 0], [1, 2, 3]).pValue).toBe(1);
    expect(mannWhitneyHistograms([0, 9, 0], [0, 4, 0]).pValue).toBe(1);
  });

  it("refuses histograms of different buckets and counts that are not whole numbers", () => {
    expect(() => mannWhitneyHistograms([1, 2], [1, 2, 3])).toThrow(/different buckets: 2 counts against 3/);
    expect(() => mannWhitneyHistograms([1, -2], [1, 2])).toThrow(/whole number ≥ 0, not -2/);
  });
});
