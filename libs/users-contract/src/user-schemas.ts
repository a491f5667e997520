import { z } from "zod";

/** Names are stored trimmed with single spaces, so a split into first/last name is lossless. */
export function normaliseName(name: string): string {
  return name.trim().replace(/\s+/g, " ");
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

const email = z
  .string({ error: "must be a string" })
  .trim()
  .max(254, { error: "must be at most 254 characters" })
  .pipe(z.email({ error: "must be an email address" }))
  .transform((value) => value.toLowerCase());
const name = z
  .string({ error: "must be a string" })
  .transform(normaliseName)
  .pipe(z.string().min(1, { error: "must not be empty" }).max(200, { error: "must be at most 200 characters" }));
const phone = z
  .string({ error: "must be a string or null" })
  .regex(/^\+?[0-9][0-9 ()-]{3,28}[0-9]$/, { error: "must be a phone number such as +44 20 7946 0958" })
  .nullable();

/** POST /api/users */
export const createUserBody = z.strictObject(
  { email, name, phone: phone.optional() },
  { error: "must be a JSON object" },
);

/** PATCH /api/users/:id */
export const updateUserBody = z
  .strictObject(
    { email: email.optional(), name: name.optional(), phone: phone.optional() },
    { error: "must be a JSON object" },
  )
  .refine((body) => Object.keys(body).length > 0, { error: "must set at least one of email, name, phone" });

/** Path parameter `:id` of /api/users/:id */
export const userIdParams = z.object({ id: z.uuid({ error: "must be a UUID" }) });

const integerString = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: "must be a whole number" })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    )
    .default(fallback);

/** GET /api/users?limit=&offset=&email=&name= (email and name: case-insensitive substring). */
export const listUsersQuery = z.strictObject({
  limit: integerString(1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
  offset: integerString(0, 1_000_000_000, 0),
  email: z.string().min(1).max(254).optional(),
  name: z.string().min(1).max(200).optional(),
});

export type CreateUserInput = z.output<typeof createUserBody>;
export type UpdateUserInput = z.output<typeof updateUserBody>;
export type ListUsersQuery = z.output<typeof listUsersQuery>;
