import type { Prisma, PrismaClient } from "../db/prisma-client";
import { bulkInsert } from "./bulk-insert";
import { generateOrders } from "./generate-orders";
import { generateProducts } from "./generate-products";
import { generateUsers } from "./generate-users";
import { seededRandom } from "./seeded-random";
import {
  ORDER_COLUMNS,
  ORDER_ITEM_COLUMNS,
  PAYMENT_COLUMNS,
  PRODUCT_COLUMNS,
  SHIPMENT_COLUMNS,
  USER_COLUMNS,
} from "./seed-tables";

export interface SeedOptions {
  users: number;
  products: number;
  orders: number;
  /** Same seed, same rows: ids, names, emails and timestamps included. */
  seed: number;
}

export const DEFAULT_SEED_OPTIONS: SeedOptions = { users: 2000, products: 200, orders: 10_000, seed: 42 };

/** The whole replace runs in one transaction; big seeds need more than Prisma's 5 s default. */
export const SEED_TRANSACTION_TIMEOUT_MS = 10 * 60_000;

export type SeedTable = "users" | "products" | "orders" | "order_items" | "payments" | "shipments";

export interface SeedProgress {
  step: "truncate" | SeedTable;
  rows: number;
  ms: number;
}

export type SeedSummary = Record<SeedTable, number> & { ms: number };

function validate(options: SeedOptions): void {
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new Error(`seed option ${name} must be a whole number ≥ 0, got ${value}`);
  }
  // The PRNG state is 32 bits; larger seeds would silently alias smaller ones.
  if (options.seed > 0xffffffff) throw new Error(`seed option seed must be at most ${0xffffffff}, got ${options.seed}`);
  if (options.orders > 0 && (options.users === 0 || options.products === 0)) {
    throw new Error("seed options: orders need at least one user and one product");
  }
}

/**
 * Replaces everything in the monolith's six tables with generated data, atomically: one
 * transaction truncates and bulk-inserts, so readers see the old data or the new, never half.
 */
export async function seedMonolith(
  prisma: PrismaClient,
  options: Partial<SeedOptions> = {},
  onProgress: (progress: SeedProgress) => void = () => {},
): Promise<SeedSummary> {
  const resolved: SeedOptions = { ...DEFAULT_SEED_OPTIONS, ...options };
  validate(resolved);
  const started = performance.now();
  const users = generateUsers(seededRandom(resolved.seed, "users"), resolved.users);
  const products = generateProducts(seededRandom(resolved.seed, "products"), resolved.products);
  const history = generateOrders(seededRandom(resolved.seed, "orders"), resolved.orders, users, products);

  await prisma.$transaction(
    async (tx: Prisma.TransactionClient) => {
      const timed = async (step: SeedProgress["step"], rows: number, work: () => Promise<void>) => {
        const stepStarted = performance.now();
        await work();
        onProgress({ step, rows, ms: Math.round(performance.now() - stepStarted) });
      };
      await timed("truncate", 0, async () => {
        await tx.$executeRaw`TRUNCATE TABLE users, products, orders, order_items, payments, shipments CASCADE`;
      });
      await timed("users", users.length, () => bulkInsert(tx, "users", USER_COLUMNS, users));
      await timed("products", products.length, () => bulkInsert(tx, "products", PRODUCT_COLUMNS, products));
      await timed("orders", history.orders.length, () => bulkInsert(tx, "orders", ORDER_COLUMNS, history.orders));
      await timed("order_items", history.orderItems.length, () =>
        bulkInsert(tx, "order_items", ORDER_ITEM_COLUMNS, history.orderItems),
      );
      await timed("payments", history.payments.length, () =>
        bulkInsert(tx, "payments", PAYMENT_COLUMNS, history.payments),
      );
      await timed("shipments", history.shipments.length, () =>
        bulkInsert(tx, "shipments", SHIPMENT_COLUMNS, history.shipments),
      );
    },
    { maxWait: 10_000, timeout: SEED_TRANSACTION_TIMEOUT_MS },
  );

  return {
    users: users.length,
    products: products.length,
    orders: history.orders.length,
    order_items: history.orderItems.length,
    payments: history.payments.length,
    shipments: history.shipments.length,
    ms: Math.round(performance.now() - started),
  };
}
