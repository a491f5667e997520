const LEVELS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];
/** Shown for a stretch without any value (null is a gap, not zero). */
export const SPARKLINE_GAP = "·";

/**
 * A one-line Unicode chart of `values` in at most `width` characters (neighbouring values averaged),
 * scaled from `min` (default: the lowest value, or 0 when none is below) to `max` (default: the highest).
 */
export function sparkline(
  values: Array<number | null>,
  options: { width: number; min?: number; max?: number },
): string {
  if (values.length === 0) return "";
  const buckets = Math.max(1, Math.min(options.width, values.length));
  const averages: Array<number | null> = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * values.length) / buckets);
    const to = Math.floor(((b + 1) * values.length) / buckets);
    const present = values.slice(from, to).filter((v): v is number => v !== null && Number.isFinite(v));
    averages.push(present.length === 0 ? null : present.reduce((a, v) => a + v, 0) / present.length);
  }
  const present = averages.filter((v): v is number => v !== null);
  if (present.length === 0) return SPARKLINE_GAP.repeat(buckets);
  const min = options.min ?? Math.min(0, ...present);
  const max = options.max ?? Math.max(...present);
  const top = LEVELS.length - 1;
  return averages
    .map((v) => {
      if (v === null) return SPARKLINE_GAP;
      const level = max === min ? (v > 0 ? top : 0) : Math.round(((v - min) / (max - min)) * top);
      return LEVELS[Math.max(0, Math.min(top, level))];
    })
    .join("");
}
