import type { OrderStatus, PaymentStatus } from "../../generated/client";
import type { SeedProduct } from "./generate-products";
import type { SeedUser } from "./generate-users";
import { HISTORY_SPAN_MS, HOUR_MS, MINUTE_MS, SEED_EPOCH_MS } from "./seed-clock";
import { CARRIERS, WEIGHTED_PAYMENT_METHODS } from "./seed-vocabulary";
import type { SeededRandom } from "./seeded-random";

export interface SeedOrders {
  orders: { id: string; userId: string; status: OrderStatus; totalCents: number; createdAt: Date; updatedAt: Date }[];
  orderItems: { id: string; orderId: string; productId: string; quantity: number; unitPriceCents: number }[];
  payments: {
    id: string;
    orderId: string;
    amountCents: number;
    status: PaymentStatus;
    method: string | null;
    paidAt: Date | null;
    createdAt: Date;
    updatedAt: Date;
  }[];
  shipments: { id: string; orderId: string; carrier: string; trackingNumber: string; shippedAt: Date }[];
}

const MAX_LINES = 5;

function pickStatus(random: SeededRandom): OrderStatus {
  const roll = random.next();
  if (roll < 0.15) return "pending";
  if (roll < 0.4) return "paid";
  if (roll < 0.9) return "shipped";
  return "cancelled";
}

function pickLines(random: SeededRandom, products: readonly SeedProduct[]): SeedProduct[] {
  const wanted = random.int(1, Math.min(MAX_LINES, products.length));
  const chosen = new Map<string, SeedProduct>();
  while (chosen.size < wanted) {
    const product = random.pick(products);
    chosen.set(product.id, product);
  }
  // Same line order as the API: by product id.
  return [...chosen.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * Orders with 1–5 lines and a consistent history: every order has a payment matching its
 * status (pending, succeeded, voided or refunded), and shipped orders have a shipment.
 */
export function generateOrders(
  random: SeededRandom,
  count: number,
  users: readonly SeedUser[],
  products: readonly SeedProduct[],
): SeedOrders {
  const result: SeedOrders = { orders: [], orderItems: [], payments: [], shipments: [] };
  if (count > 0 && (users.length === 0 || products.length === 0)) {
    throw new Error("seeding orders needs at least one user and one product");
  }
  const historyEnd = SEED_EPOCH_MS + HISTORY_SPAN_MS;
  for (let i = 0; i < count; i += 1) {
    const user = random.pick(users);
    const orderId = random.uuid();
    const since = user.createdAt.getTime() + HOUR_MS;
    const createdAt = new Date(since + Math.floor(random.next() * Math.max(historyEnd - since, MINUTE_MS)));
    let totalCents = 0;
    for (const product of pickLines(random, products)) {
      const quantity = random.chance(0.7) ? 1 : random.int(2, 4);
      totalCents += quantity * product.priceCents;
      result.orderItems.push({
        id: random.uuid(),
        orderId,
        productId: product.id,
        quantity,
        unitPriceCents: product.priceCents,
      });
    }
    const status = pickStatus(random);
    const wasPaid = status === "paid" || status === "shipped" || (status === "cancelled" && random.chance(0.5));
    const paidAt = wasPaid ? new Date(createdAt.getTime() + random.int(1, 120) * MINUTE_MS) : null;
    let updatedAt = paidAt ?? createdAt;
    if (status === "shipped") {
      const shippedAt = new Date(updatedAt.getTime() + random.int(2, 72) * HOUR_MS);
      const carrier = random.pick(CARRIERS);
      const trackingNumber = `${carrier.replace(/\W/g, "").slice(0, 3).toUpperCase()}${random.int(100_000_000, 999_999_999)}`;
      result.shipments.push({ id: random.uuid(), orderId, carrier, trackingNumber, shippedAt });
      updatedAt = shippedAt;
    } else if (status === "cancelled") {
      updatedAt = new Date(updatedAt.getTime() + random.int(1, 48) * HOUR_MS);
    }
    const paymentStatus: PaymentStatus =
      status === "pending" ? "pending" : status === "cancelled" ? (wasPaid ? "refunded" : "voided") : "succeeded";
    result.payments.push({
      id: random.uuid(),
      orderId,
      amountCents: totalCents,
      status: paymentStatus,
      method: wasPaid ? random.pick(WEIGHTED_PAYMENT_METHODS) : null,
      paidAt,
      createdAt,
      updatedAt: status === "shipped" ? (paidAt ?? createdAt) : updatedAt,
    });
    result.orders.push({ id: orderId, userId: user.id, status, totalCents, createdAt, updatedAt });
  }
  return result;
}
