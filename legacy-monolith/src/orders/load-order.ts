import type { Prisma } from "../db/prisma-client";
import { orderInclude, type OrderWithDetails } from "./order-json";

/**
 * An order with its lines, payment and shipment, inside a transaction that just changed it.
 * One query at a time on purpose: with `include`, Prisma sends the relation queries
 * concurrently on the transaction's single connection, which pg 8.19+ deprecates (pg 9 drops it).
 */
export async function loadOrder(tx: Prisma.TransactionClient, id: string): Promise<OrderWithDetails> {
  const order = await tx.order.findUniqueOrThrow({ where: { id } });
  const items = await tx.orderItem.findMany({ where: { orderId: id }, orderBy: orderInclude.items.orderBy });
  const payment = await tx.payment.findUnique({ where: { orderId: id } });
  const shipment = await tx.shipment.findUnique({ where: { orderId: id } });
  return { ...order, items, payment, shipment };
}
