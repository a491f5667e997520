import { SPARKLINE_GAP, sparkline } from "./sparkline";

describe("sparkline", () => {
  it("draws the lowest value lowest and the highest highest", () => {
    expect(sparkline([0, 3, 7], { width: 10 })).toBe("▁▄█");
  });

  it("shows nulls as gaps, not zeros", () => {
    expect(sparkline([1, null, 1], { width: 10, min: 0 })).toBe(`█${SPARKLINE_GAP}█`);
    expect(sparkline([null, null], { width: 10 })).toBe(SPARKLINE_GAP.repeat(2));
  });

  it("averages neighbours down to the width", () => {
    const line = sparkline(
      Array.from({ length: 100 }, (_, i) => (i < 50 ? 0 : 10)),
      { width: 4 },
    );
    expect(line).toBe("▁▁██");
  });

  it("scales to the given range", () => {
    expect(sparkline([0.95, 1], { width: 10, min: 0.95, max: 1 })).toBe("▁█");
    expect(sparkline([0.5], { width: 10, min: 0, max: 1 })).toBe("▅");
  });

  it("is empty for no values", () => {
    expect(sparkline([], { width: 10 })).toBe("");
  });
});
