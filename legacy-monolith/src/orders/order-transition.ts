import { notFound } from "@strangler/service-kit";
import type { OrderStatus } from "../../generated/client";
import type { Prisma } from "../db/prisma-client";
import { wrongOrderState } from "./order-errors";

export interface Transition {
  from: readonly OrderStatus[];
  to: OrderStatus;
  /** The 409 code when the order is in none of the `from` states. */
  refusal: string;
  /** Past participle for the message: "paid", "shipped", "cancelled". */
  action: string;
}

/**
 * Moves an order from one of `from` to `to`, or throws 404/409. The status check and the
 * write are one conditional UPDATE, so of two concurrent transitions exactly one wins; the
 * loser waits for the winner's row lock, re-reads the new status and gets the 409.
 */
export async function transitionOrder(tx: Prisma.TransactionClient, id: string, transition: Transition): Promise<void> {
  const { count } = await tx.order.updateMany({
    where: { id, status: { in: [...transition.from] } },
    data: { status: transition.to },
  });
  if (count === 1) return;
  const order = await tx.order.findUnique({ where: { id }, select: { status: true } });
  if (!order) throw notFound("order", id);
  throw wrongOrderState(transition.refusal, id, order.status, transition.action, transition.from);
}
