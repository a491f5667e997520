import { isForeignKeyViolation, notFound } from "@strangler/service-kit";
import type { Prisma, PrismaClient } from "../db/prisma-client";
import { MAX_ORDER_TOTAL_CENTS, ORDER_TRANSACTION_OPTIONS } from "./order-defaults";
import { insufficientStock, totalTooLarge } from "./order-errors";
import type { OrderWithDetails } from "./order-json";
import type { PlaceOrderInput } from "./order-schemas";
import { loadOrder } from "./load-order";

interface PricedLine {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

/**
 * Takes `quantity` units of one product, or throws 404/409. The conditional update is the
 * oversell guard: Postgres re-checks `stock >= quantity` on the latest row version after
 * waiting for any concurrent order's lock, so two orders can never both take the last unit.
 */
async function reserveStock(tx: Prisma.TransactionClient, productId: string, quantity: number): Promise<PricedLine> {
  const [reserved] = await tx.product.updateManyAndReturn({
    where: { id: productId, stock: { gte: quantity } },
    data: { stock: { decrement: quantity } },
    select: { priceCents: true },
  });
  // The row is locked from here on, so the price read with it is the one the order pays.
  if (reserved) return { productId, quantity, unitPriceCents: reserved.priceCents };
  const product = await tx.product.findUnique({ where: { id: productId }, select: { stock: true } });
  if (!product) throw notFound("product", productId);
  throw insufficientStock(productId, quantity, product.stock);
}

/**
 * Places an order in one transaction: user check, stock reservation, order, lines and a
 * pending payment. Any failure rolls all of it back, so nothing is written on an error.
 */
export async function placeOrder(prisma: PrismaClient, input: PlaceOrderInput): Promise<OrderWithDetails> {
  // Locking products in id order means two multi-line orders cannot deadlock on each other.
  const lines = [...input.items].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true } });
      if (!user) throw notFound("user", input.userId);
      const priced: PricedLine[] = [];
      for (const line of lines) priced.push(await reserveStock(tx, line.productId, line.quantity));
      const totalCents = priced.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
      if (totalCents > MAX_ORDER_TOTAL_CENTS) throw totalTooLarge(totalCents, MAX_ORDER_TOTAL_CENTS);
      const order = await tx.order.create({ data: { userId: input.userId, totalCents }, select: { id: true } });
      await tx.orderItem.createMany({ data: priced.map((line) => ({ ...line, orderId: order.id })) });
      await tx.payment.create({ data: { orderId: order.id, amountCents: totalCents }, select: { id: true } });
      return loadOrder(tx, order.id);
    }, ORDER_TRANSACTION_OPTIONS);
  } catch (error) {
    // The user was deleted between our check and the insert.
    if (isForeignKeyViolation(error)) throw notFound("user", input.userId);
    throw error;
  }
}
