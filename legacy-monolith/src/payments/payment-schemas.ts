import { z } from "zod";

export const PAYMENT_METHODS = ["card", "paypal", "bank_transfer"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** POST /api/orders/:id/pay */
export const payOrderBody = z.strictObject(
  { method: z.enum(PAYMENT_METHODS, { error: `must be one of ${PAYMENT_METHODS.join(", ")}` }) },
  { error: "must be a JSON object" },
);

export type PayOrderInput = z.output<typeof payOrderBody>;
