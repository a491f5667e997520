import type { PrismaClient } from "../db/prisma-client";
import { ORDER_TRANSACTION_OPTIONS } from "../orders/order-defaults";
import { ORDER_ERROR_CODES } from "../orders/order-errors";
import type { OrderWithDetails } from "../orders/order-json";
import { loadOrder } from "../orders/load-order";
import { transitionOrder } from "../orders/order-transition";
import type { PayOrderInput } from "./payment-schemas";

/** Takes payment for a pending order: the payment succeeds and the order becomes paid. */
export async function payOrder(prisma: PrismaClient, id: string, input: PayOrderInput): Promise<OrderWithDetails> {
  return prisma.$transaction(async (tx) => {
    await transitionOrder(tx, id, {
      from: ["pending"],
      to: "paid",
      refusal: ORDER_ERROR_CODES.notPayable,
      action: "paid",
    });
    await tx.payment.update({
      where: { orderId: id },
      data: { status: "succeeded", method: input.method, paidAt: new Date() },
    });
    return loadOrder(tx, id);
  }, ORDER_TRANSACTION_OPTIONS);
}
