/** Largest value of a PostgreSQL integer (the blog's keys are SERIAL). */
const MAX_INT4 = 2_147_483_647;

/** A positive integer id from a path parameter, or undefined. */
export function idParam(value: string | undefined): number | undefined {
  if (!value || !/^\d{1,10}$/.test(value)) return undefined;
  const id = Number(value);
  return id >= 1 && id <= MAX_INT4 ? id : undefined;
}
