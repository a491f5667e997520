import type { Prisma } from "../db/prisma-client";

/** What every order response carries: its lines in a stable order, its payment and shipment. */
export const orderInclude = {
  items: { orderBy: { productId: "asc" } },
  payment: true,
  shipment: true,
} satisfies Prisma.OrderInclude;

export type OrderWithDetails = Prisma.OrderGetPayload<{ include: typeof orderInclude }>;

export interface OrderItemJson {
  id: string;
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

export interface PaymentJson {
  id: string;
  status: string;
  amountCents: number;
  method: string | null;
  paidAt: string | null;
}

export interface ShipmentJson {
  id: string;
  carrier: string;
  trackingNumber: string;
  shippedAt: string;
}

/** An order as the API returns it; money in integer cents. */
export interface OrderJson {
  id: string;
  userId: string;
  status: string;
  totalCents: number;
  items: OrderItemJson[];
  payment: PaymentJson | null;
  shipment: ShipmentJson | null;
  createdAt: string;
  updatedAt: string;
}

/** The external shape of an order with its lines, payment and shipment. */
export function toOrderJson(order: OrderWithDetails): OrderJson {
  const { payment, shipment } = order;
  return {
    id: order.id,
    userId: order.userId,
    status: order.status,
    totalCents: order.totalCents,
    items: order.items.map((item) => ({
      id: item.id,
      productId: item.productId,
      quantity: item.quantity,
      unitPriceCents: item.unitPriceCents,
    })),
    payment: payment && {
      id: payment.id,
      status: payment.status,
      amountCents: payment.amountCents,
      method: payment.method,
      paidAt: payment.paidAt?.toISOString() ?? null,
    },
    shipment: shipment && {
      id: shipment.id,
      carrier: shipment.carrier,
      trackingNumber: shipment.trackingNumber,
      shippedAt: shipment.shippedAt.toISOString(),
    },
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
