// The report is read by people and compared by tests: fixed English formatting, never the machine's locale.
const NUMBER_FORMAT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const SMALL_FORMAT = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });
const FIGURE_FORMAT = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 6 });

/** A count or measurement with thousands separators and at most two decimals (three digits below 1); "–" for null. */
export function formatNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return value === null ? "–" : String(value);
  return Math.abs(value) < 1 ? SMALL_FORMAT.format(value) : NUMBER_FORMAT.format(value);
}

/** A ratio (0..1) as a percentage: 0.99871 → "99.87 %"; never rounds a shortfall up to 100 %. */
export function formatPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return "–";
  const percent = ratio * 100;
  // 99.999 % must not read as 100 %: a report that claims full parity has to mean it.
  const shown = percent < 100 && percent > 99.99 ? Math.floor(percent * 1000) / 1000 : percent;
  return `${NUMBER_FORMAT.format(shown)} %`;
}

/** A duration in milliseconds for people: "850 ms", "42 s", "3 min 5 s", "1 h 2 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Elapsed seconds as a clock: 65 → "1:05", 3725 → "1:02:05". */
export function formatElapsed(seconds: number): string {
  const whole = Math.round(seconds);
  const sign = whole < 0 ? "-" : "";
  const abs = Math.abs(whole);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = String(abs % 60).padStart(2, "0");
  return h > 0 ? `${sign}${h}:${String(m).padStart(2, "0")}:${s}` : `${sign}${m}:${s}`;
}

/** An ISO timestamp as "2026-12-02 10:00:01 UTC"; anything unparsable is returned as given. */
export function formatTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** The time between two ISO timestamps, or "–" when either does not parse. */
export function formatSpan(startedAt: string, endedAt: string): string {
  const ms = Date.parse(endedAt) - Date.parse(startedAt);
  return Number.isNaN(ms) ? "–" : formatDuration(ms);
}

/** One gate figure as text: numbers formatted, null as "–". */
export function formatFigure(value: number | string | boolean | null): string {
  // Gate figures are compared with thresholds (0.9995 against 0.999): keep six significant digits.
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return String(value);
    return Number.isInteger(value) ? NUMBER_FORMAT.format(value) : FIGURE_FORMAT.format(value);
  }
  if (value === null) return "–";
  return String(value);
}
