import { linearScale, niceStep, timeAxis, valueAxis } from "./chart-scale";

describe("chart scales", () => {
  it("maps a domain linearly onto a range, a degenerate domain onto its middle", () => {
    const y = linearScale([0, 100], [210, 30]);
    expect(y(0)).toBe(210);
    expect(y(100)).toBe(30);
    expect(y(50)).toBe(120);
    expect(linearScale([5, 5], [0, 10])(5)).toBe(5);
  });

  it("picks round tick steps", () => {
    expect(niceStep(20, 5)).toBe(5);
    expect(niceStep(100, 5)).toBe(20);
    expect(niceStep(0.5, 5)).toBe(0.1);
    expect(niceStep(7, 5)).toBe(2);
  });

  it("starts a value axis at zero and ends it on a round number at or above the maximum", () => {
    expect(valueAxis([3, 20, 7], { minMax: 1 })).toEqual({ min: 0, max: 20, ticks: [0, 5, 10, 15, 20] });
    expect(valueAxis([0.3], { minMax: 1 })).toEqual({ min: 0, max: 1, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
    expect(valueAxis([41], { minMax: 1 }).max).toBe(50);
  });

  it("gives an all-zero or empty series an axis up to minMax", () => {
    expect(valueAxis([0, 0], { minMax: 1 }).max).toBe(1);
    expect(valueAxis([], { minMax: 100 })).toEqual({ min: 0, max: 100, ticks: [0, 20, 40, 60, 80, 100] });
  });

  it("goes below zero only when the data does", () => {
    expect(valueAxis([-3, 10], { minMax: 1 }).min).toBe(-5);
  });

  it("puts time ticks on round clock steps from the start", () => {
    const start = Date.parse("2026-12-02T10:00:00Z");
    const axis = timeAxis(start, start + 120_000, { minSpanMs: 10_000 });
    expect(axis).toEqual({ start, end: start + 120_000, ticks: [0, 30, 60, 90, 120] });
  });

  it("widens a time axis shorter than the minimum span around its middle", () => {
    const at = Date.parse("2026-12-02T10:00:00Z");
    const axis = timeAxis(at, at, { minSpanMs: 10_000 });
    expect(axis.start).toBe(at - 5_000);
    expect(axis.end).toBe(at + 5_000);
    expect(axis.ticks).toEqual([0, 2, 4, 6, 8, 10]);
  });
});
