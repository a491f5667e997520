import { z } from "zod";

const label = (max: number) =>
  z
    .string({ error: "must be a string" })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(max, { error: `must be at most ${max} characters` });

/** POST /api/orders/:id/ship */
export const shipOrderBody = z.strictObject(
  { carrier: label(100), trackingNumber: label(100) },
  { error: "must be a JSON object" },
);

export type ShipOrderInput = z.output<typeof shipOrderBody>;
