/** A value axis: the domain the plot spans and the tick values on it (the domain's ends are ticks). */
export interface ValueAxis {
  min: number;
  max: number;
  ticks: number[];
}

/** A time axis in milliseconds since the epoch, with ticks as seconds elapsed since `start`. */
export interface TimeAxis {
  start: number;
  end: number;
  /** Seconds since `start`. */
  ticks: number[];
}

const MANTISSAS = [1, 2, 2.5, 5, 10];
// Tick steps of a time axis that read well on a clock: seconds, then minutes, then hours.
const TIME_STEPS_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** A linear map of [d0, d1] onto [r0, r1] (a degenerate domain maps to the middle of the range). */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/** The smallest 1, 2, 2.5 or 5 × 10^k step that splits `span` into at most `maxTicks` intervals. */
export function niceStep(span: number, maxTicks: number): number {
  const raw = span / Math.max(1, maxTicks);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of MANTISSAS) if (m * magnitude >= raw * (1 - 1e-9)) return m * magnitude;
  return 10 * magnitude;
}

// Multiples of a step picked up rounding noise (0.1 * 3 = 0.30000000000000004); ticks are labels.
const clean = (v: number) => Number(v.toPrecision(12));

/**
 * A value axis from zero (every figure charted is a count, rate, lag or latency) to a round number at or
 * above the data's maximum and `minMax` (so an all-zero series still gets an axis); below zero only if
 * the data goes there.
 */
export function valueAxis(values: Iterable<number>, options: { minMax: number; maxTicks?: number }): ValueAxis {
  let low = 0;
  let high = options.minMax;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  const step = niceStep(high - low, options.maxTicks ?? 5);
  const min = clean(Math.floor(low / step + 1e-9) * step);
  const max = clean(Math.ceil(high / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let i = 0; min + i * step <= max + step * 1e-9; i++) ticks.push(clean(min + i * step));
  return { min, max, ticks };
}

/**
 * A time axis over [start, end] (widened to `minSpanMs` around its middle when shorter, so one point
 * still has room), with ticks on round clock steps of the elapsed time.
 */
export function timeAxis(start: number, end: number, options: { minSpanMs: number; maxTicks?: number }): TimeAxis {
  let from = Math.min(start, end);
  let to = Math.max(start, end);
  if (to - from < options.minSpanMs) {
    const middle = (from + to) / 2;
    from = middle - options.minSpanMs / 2;
    to = middle + options.minSpanMs / 2;
  }
  const spanSeconds = (to - from) / 1000;
  const maxTicks = options.maxTicks ?? 6;
  const step =
    TIME_STEPS_SECONDS.find((s) => spanSeconds / s <= maxTicks) ?? niceStep(spanSeconds / 86400, maxTicks) * 86400;
  const ticks: number[] = [];
  for (let t = 0; t <= spanSeconds + 1e-9; t += step) ticks.push(t);
  return { start: from, end: to, ticks };
}
