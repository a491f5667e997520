import type { PrismaClient } from "../db/prisma-client";
import { ORDER_TRANSACTION_OPTIONS } from "../orders/order-defaults";
import { ORDER_ERROR_CODES } from "../orders/order-errors";
import type { OrderWithDetails } from "../orders/order-json";
import { loadOrder } from "../orders/load-order";
import { transitionOrder } from "../orders/order-transition";
import type { ShipOrderInput } from "./shipment-schemas";

/** Ships a paid order: records the shipment and marks the order shipped. */
export async function shipOrder(prisma: PrismaClient, id: string, input: ShipOrderInput): Promise<OrderWithDetails> {
  return prisma.$transaction(async (tx) => {
    await transitionOrder(tx, id, {
      from: ["paid"],
      to: "shipped",
      refusal: ORDER_ERROR_CODES.notShippable,
      action: "shipped",
    });
    await tx.shipment.create({ data: { orderId: id, carrier: input.carrier, trackingNumber: input.trackingNumber } });
    return loadOrder(tx, id);
  }, ORDER_TRANSACTION_OPTIONS);
}
