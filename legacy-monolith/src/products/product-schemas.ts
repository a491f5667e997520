import { z } from "zod";
import { pageQueryFields } from "@strangler/service-kit";

/** Prices are integer cents; the cap keeps an order total (≤ 50 × 1000 units) meaningful. */
export const MAX_PRICE_CENTS = 100_000_000;
/** Stock cap, far enough below the int4 limit that restoring a cancelled order cannot overflow. */
export const MAX_STOCK = 1_000_000_000;

/** Stored trimmed with single spaces, like user names. */
function normaliseText(value: string): string {
  return value.trim().replace(/\s+/g, " ");
}

const sku = z
  .string({ error: "must be a string" })
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    error: "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
  });
const name = z
  .string({ error: "must be a string" })
  .transform(normaliseText)
  .pipe(z.string().min(1, { error: "must not be empty" }).max(200, { error: "must be at most 200 characters" }));
const description = z
  .string({ error: "must be a string" })
  .trim()
  .max(2000, { error: "must be at most 2000 characters" });
const priceCents = z
  .number({ error: "must be a number" })
  .int({ error: "must be a whole number of cents" })
  .min(0, { error: "must not be negative" })
  .max(MAX_PRICE_CENTS, { error: `must be at most ${MAX_PRICE_CENTS}` });
const stock = z
  .number({ error: "must be a number" })
  .int({ error: "must be a whole number" })
  .min(0, { error: "must not be negative" })
  .max(MAX_STOCK, { error: `must be at most ${MAX_STOCK}` });

/** POST /api/products */
export const createProductBody = z.strictObject(
  { sku, name, description: description.optional(), priceCents, stock },
  { error: "must be a JSON object" },
);

/** PATCH /api/products/:id (the sku is the product's identity and does not change) */
export const updateProductBody = z
  .strictObject(
    {
      name: name.optional(),
      description: description.optional(),
      priceCents: priceCents.optional(),
      stock: stock.optional(),
    },
    { error: "must be a JSON object" },
  )
  .refine((body) => Object.keys(body).length > 0, {
    error: "must set at least one of name, description, priceCents, stock",
  });

/** Path parameter `:id` of /api/products/:id */
export const productIdParams = z.object({ id: z.uuid({ error: "must be a UUID" }) });

/** GET /api/products?limit=&offset=&q= (q: case-insensitive substring of name or sku). */
export const listProductsQuery = z.strictObject({
  ...pageQueryFields,
  q: z.string({ error: "must be a single string" }).min(1, { error: "must not be empty" }).max(200).optional(),
});

export type CreateProductInput = z.output<typeof createProductBody>;
export type UpdateProductInput = z.output<typeof updateProductBody>;
