import request from "supertest";
import type { PrismaClient } from "../src/db/prisma-client";
import { seedMonolith, type SeedProgress } from "../src/seed/seed-monolith";
import { startMonolithTestApp, type MonolithTestApp } from "./support/monolith-test-app";

let t: MonolithTestApp;

beforeAll(async () => {
  t = await startMonolithTestApp();
});

afterAll(async () => {
  await t?.close();
});

const SMALL = { users: 40, products: 12, orders: 150, seed: 7 };

/** Every row of every table, in primary-key order. */
async function snapshot(prisma: PrismaClient) {
  const byId = { orderBy: { id: "asc" } } as const;
  return {
    users: await prisma.user.findMany(byId),
    products: await prisma.product.findMany(byId),
    orders: await prisma.order.findMany(byId),
    orderItems: await prisma.orderItem.findMany(byId),
    payments: await prisma.payment.findMany(byId),
    shipments: await prisma.shipment.findMany(byId),
  };
}

describe("seedMonolith", () => {
  it("creates exactly the requested users, products and orders, each order with 1-5 lines and one payment", async () => {
    const summary = await seedMonolith(t.prisma, SMALL);
    const rows = await snapshot(t.prisma);
    expect(rows.users).toHaveLength(40);
    expect(rows.products).toHaveLength(12);
    expect(rows.orders).toHaveLength(150);
    expect(rows.payments).toHaveLength(150);
    expect(summary).toMatchObject({ users: 40, products: 12, orders: 150, payments: 150 });
    expect(summary.order_items).toBe(rows.orderItems.length);
    const linesPerOrder = new Map<string, number>();
    for (const item of rows.orderItems) linesPerOrder.set(item.orderId, (linesPerOrder.get(item.orderId) ?? 0) + 1);
    expect(Math.min(...linesPerOrder.values())).toBeGreaterThanOrEqual(1);
    expect(Math.max(...linesPerOrder.values())).toBeLessThanOrEqual(5);
  });

  it("produces identical rows, ids and timestamps included, when run twice with the same seed", async () => {
    await seedMonolith(t.prisma, SMALL);
    const first = await snapshot(t.prisma);
    await seedMonolith(t.prisma, SMALL);
    const second = await snapshot(t.prisma);
    expect(second).toEqual(first);
    expect(second.users.map((u) => u.email)).toEqual(first.users.map((u) => u.email));
  });

  it("produces different data for a different seed", async () => {
    await seedMonolith(t.prisma, SMALL);
    const first = await snapshot(t.prisma);
    await seedMonolith(t.prisma, { ...SMALL, seed: 8 });
    const other = await snapshot(t.prisma);
    expect(other.users.map((u) => u.id)).not.toEqual(first.users.map((u) => u.id));
  });

  it("replaces existing data instead of adding to it", async () => {
    await request(t.app)
      .post("/api/products")
      .send({ sku: "LEFTOVER", name: "Leftover", priceCents: 1, stock: 1 })
      .expect(201);
    await seedMonolith(t.prisma, SMALL);
    expect(await t.prisma.product.count({ where: { sku: "LEFTOVER" } })).toBe(0);
    expect(await t.prisma.product.count()).toBe(12);
  });

  it("keeps every reference and amount consistent: users, products, payments and shipments match their orders", async () => {
    await seedMonolith(t.prisma, SMALL);
    const rows = await snapshot(t.prisma);
    const users = new Map(rows.users.map((u) => [u.id, u]));
    const products = new Map(rows.products.map((p) => [p.id, p]));
    const payments = new Map(rows.payments.map((p) => [p.orderId, p]));
    const shipments = new Map(rows.shipments.map((s) => [s.orderId, s]));
    const expectedPayment = {
      pending: ["pending"],
      paid: ["succeeded"],
      shipped: ["succeeded"],
      cancelled: ["voided", "refunded"],
    };
    for (const order of rows.orders) {
      const user = users.get(order.userId);
      expect(user).toBeDefined();
      expect(order.createdAt.getTime()).toBeGreaterThan(user?.createdAt.getTime() ?? Infinity);
      const lines = rows.orderItems.filter((item) => item.orderId === order.id);
      expect(lines.every((line) => products.has(line.productId))).toBe(true);
      expect(order.totalCents).toBe(lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0));
      const payment = payments.get(order.id);
      expect(payment?.amountCents).toBe(order.totalCents);
      expect(expectedPayment[order.status]).toContain(payment?.status);
      expect(payment?.paidAt === null).toBe(payment?.status === "pending" || payment?.status === "voided");
      expect(shipments.has(order.id)).toBe(order.status === "shipped");
    }
    expect(new Set(rows.orders.map((o) => o.status))).toEqual(new Set(["pending", "paid", "shipped", "cancelled"]));
  });

  it("writes names the users service can split, unique lower-case emails and some missing phones", async () => {
    await seedMonolith(t.prisma, { ...SMALL, users: 300, orders: 0 });
    const users = await t.prisma.user.findMany();
    for (const user of users) {
      expect(user.name).toBe(user.name.trim().replace(/\s+/g, " "));
      expect(user.name.split(" ").length).toBeGreaterThanOrEqual(2);
      expect(user.email).toBe(user.email.toLowerCase());
      expect(user.email).toMatch(/^[a-z0-9.]+@[a-z.]+$/);
    }
    expect(new Set(users.map((u) => u.email)).size).toBe(300);
    expect(users.some((u) => u.phone === null)).toBe(true);
    expect(users.some((u) => u.phone !== null)).toBe(true);
  });

  it("writes ids the API accepts: a seeded order and a user's order list can be read back", async () => {
    await seedMonolith(t.prisma, SMALL);
    const order = await t.prisma.order.findFirstOrThrow({ orderBy: { id: "asc" } });
    const res = await request(t.app).get(`/api/orders/${order.id}`).expect(200);
    expect(res.body.id).toBe(order.id);
    const list = await request(t.app).get(`/api/users/${order.userId}/orders`).expect(200);
    expect(list.body.data.map((o: { id: string }) => o.id)).toContain(order.id);
  });

  it("reports progress for the truncate and every table, with row counts", async () => {
    const progress: SeedProgress[] = [];
    await seedMonolith(t.prisma, SMALL, (step) => progress.push(step));
    expect(progress.map((p) => p.step)).toEqual([
      "truncate",
      "users",
      "products",
      "orders",
      "order_items",
      "payments",
      "shipments",
    ]);
    expect(progress.find((p) => p.step === "users")?.rows).toBe(40);
  });

  it("refuses to seed orders without users or products, leaving the data as it was", async () => {
    await seedMonolith(t.prisma, SMALL);
    await expect(seedMonolith(t.prisma, { users: 0, products: 5, orders: 10, seed: 1 })).rejects.toThrow(
      /at least one user/,
    );
    await expect(seedMonolith(t.prisma, { ...SMALL, users: -1 })).rejects.toThrow(/users/);
    expect(await t.prisma.user.count()).toBe(40);
  });
});
