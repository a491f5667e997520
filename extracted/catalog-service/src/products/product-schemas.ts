import { z } from "zod";
import { pageQueryFields } from "@strangler/service-kit";

/** Path parameter `:id` of /api/products/:id */
export const productIdParams = z.object({ id: z.uuid({ error: "must be a UUID" }) });

/** GET /api/products?limit=&offset=&q= (q: case-insensitive substring of name or sku). */
export const listProductsQuery = z.strictObject({
  ...pageQueryFields,
  q: z.string({ error: "must be a single string" }).min(1, { error: "must not be empty" }).max(200).optional(),
});

export type ListProductsQuery = z.output<typeof listProductsQuery>;
