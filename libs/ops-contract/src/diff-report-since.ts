/** Units `--since` / `?since=` accept, in milliseconds. */
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d+)([smhd])$/;
// A date (2026-12-02) or a date and time with an optional zone: what Date.parse reads the same everywhere.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** What `parseDiffSince` makes of a value: the window's start in epoch ms, or why the value is not one. */
export type DiffSinceResult = { ok: true; since: number } | { ok: false; reason: string };

/**
 * The start of a diff report's window, shared by `strangler diff report --since` and
 * `GET /admin/diff/report?since=`: a duration back from `now` (`30s`, `15m`, `1h`, `2d`) or an ISO time.
 */
export function parseDiffSince(value: string, now: number): DiffSinceResult {
  const text = value.trim();
  const duration = DURATION.exec(text);
  if (duration) {
    const amount = Number(duration[1]);
    const unit = UNIT_MS[duration[2] as string] as number;
    if (amount === 0) return { ok: false, reason: `'${value}' is an empty window; give a duration above 0` };
    return { ok: true, since: now - amount * unit };
  }
  if (ISO_TIME.test(text)) {
    const since = Date.parse(text);
    if (Number.isNaN(since)) return { ok: false, reason: `'${value}' is not a valid time` };
    if (since > now) return { ok: false, reason: `'${value}' is in the future` };
    return { ok: true, since };
  }
  return {
    ok: false,
    reason: `'${value}' is neither a duration (30s, 15m, 1h, 2d) nor an ISO time (2026-12-02T10:00:00Z)`,
  };
}
