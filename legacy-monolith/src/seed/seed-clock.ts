/** Seed timestamps count from a fixed date, never from now(), so reruns give identical rows. */
export const SEED_EPOCH_MS = Date.UTC(2024, 0, 1);

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The seeded shop's history: users sign up over the first 300 days, orders run to day 365. */
export const SIGNUP_SPAN_MS = 300 * DAY_MS;
export const HISTORY_SPAN_MS = 365 * DAY_MS;

export function seedDate(offsetMs: number): Date {
  return new Date(SEED_EPOCH_MS + Math.round(offsetMs));
}
