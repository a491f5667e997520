import { z } from "zod";

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** A page of a list endpoint: `{ data, page: { limit, offset, total } }`, the same in every app. */
export interface Page<T> {
  data: T[];
  page: { limit: number; offset: number; total: number };
}

// Query strings arrive as text; a strict digit check keeps "1e3", "-1" and " 5" out.
const integerString = (min: number, max: number, fallback: number) =>
  z
    .string({ error: "must be a whole number" })
    .regex(/^\d+$/, { error: "must be a whole number" })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    )
    .default(fallback);

/** `limit` and `offset` query fields, to spread into a list endpoint's strict query schema. */
export const pageQueryFields = {
  limit: integerString(1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
  offset: integerString(0, 1_000_000_000, 0),
};
