import type { PrismaClient } from "../db/prisma-client";
import { ORDER_TRANSACTION_OPTIONS } from "./order-defaults";
import { ORDER_ERROR_CODES } from "./order-errors";
import type { OrderWithDetails } from "./order-json";
import { loadOrder } from "./load-order";
import { transitionOrder } from "./order-transition";

/**
 * Cancels a pending or paid order: its units go back on the shelf and its payment is voided
 * (never taken) or refunded (taken). Shipped orders are beyond cancelling.
 */
export async function cancelOrder(prisma: PrismaClient, id: string): Promise<OrderWithDetails> {
  return prisma.$transaction(async (tx) => {
    await transitionOrder(tx, id, {
      from: ["pending", "paid"],
      to: "cancelled",
      refusal: ORDER_ERROR_CODES.notCancellable,
      action: "cancelled",
    });
    // Same id order as placing an order, so a cancel and an order never deadlock.
    const items = await tx.orderItem.findMany({ where: { orderId: id }, orderBy: { productId: "asc" } });
    for (const item of items) {
      await tx.product.update({ where: { id: item.productId }, data: { stock: { increment: item.quantity } } });
    }
    // Payments only change with their order's status, and we hold the order's row lock.
    const payment = await tx.payment.findUnique({ where: { orderId: id }, select: { status: true } });
    if (payment) {
      const status = payment.status === "succeeded" ? "refunded" : "voided";
      await tx.payment.update({ where: { orderId: id }, data: { status } });
    }
    return loadOrder(tx, id);
  }, ORDER_TRANSACTION_OPTIONS);
}
