import { z } from "zod";
import { pageQueryFields } from "@strangler/service-kit";
import { MAX_ITEM_QUANTITY, MAX_ORDER_ITEMS } from "./order-defaults";

const uuid = z.uuid({ error: "must be a UUID" });

const orderLine = z.strictObject(
  {
    productId: uuid,
    quantity: z
      .number({ error: "must be a number" })
      .int({ error: "must be a whole number" })
      .min(1, { error: "must be at least 1" })
      .max(MAX_ITEM_QUANTITY, { error: `must be at most ${MAX_ITEM_QUANTITY}` }),
  },
  { error: "must be a JSON object" },
);

const orderLines = z
  .array(orderLine, { error: "must be an array" })
  .min(1, { error: "must have at least 1 item" })
  .max(MAX_ORDER_ITEMS, { error: `must have at most ${MAX_ORDER_ITEMS} items` })
  .superRefine((lines, ctx) => {
    const firstIndex = new Map<string, number>();
    lines.forEach((line, index) => {
      const seen = firstIndex.get(line.productId);
      if (seen === undefined) firstIndex.set(line.productId, index);
      else ctx.addIssue({ code: "custom", path: [index, "productId"], message: `duplicates items[${seen}].productId` });
    });
  });

/** POST /api/orders */
export const placeOrderBody = z.strictObject({ userId: uuid, items: orderLines }, { error: "must be a JSON object" });

/** Path parameter `:id` of /api/orders/:id */
export const orderIdParams = z.object({ id: uuid });

/** Path parameter `:userId` of /api/users/:userId/orders */
export const userOrdersParams = z.object({ userId: uuid });

/** GET /api/users/:userId/orders?limit=&offset= */
export const listUserOrdersQuery = z.strictObject({ ...pageQueryFields });

/** POST /api/orders/:id/cancel takes no input; an empty object is tolerated. */
export const cancelOrderBody = z.strictObject({}, { error: "must be a JSON object" });

export type PlaceOrderInput = z.output<typeof placeOrderBody>;
