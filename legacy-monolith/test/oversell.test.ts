import type { Server } from "node:http";
import request from "supertest";
import { createProduct, createUsers, stockOf } from "./support/commerce-fixtures";
import { startMonolithTestApp, type MonolithTestApp } from "./support/monolith-test-app";

let t: MonolithTestApp;
let server: Server;

beforeAll(async () => {
  t = await startMonolithTestApp();
  // One listening server: supertest would otherwise start one per request.
  server = t.app.listen(0, "127.0.0.1");
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t?.close();
});

async function orderConcurrently(userIds: string[], productId: string, quantity: (i: number) => number) {
  return Promise.all(
    userIds.map((userId, i) =>
      request(server)
        .post("/api/orders")
        .send({ userId, items: [{ productId, quantity: quantity(i) }] }),
    ),
  );
}

function countStatuses(responses: request.Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const res of responses) counts[res.status] = (counts[res.status] ?? 0) + 1;
  return counts;
}

describe("placing orders concurrently", () => {
  it("sells exactly the 5 units in stock to 40 simultaneous buyers and refuses the other 35", async () => {
    const product = await createProduct(t.prisma, { stock: 5 });
    const userIds = await createUsers(t.prisma, 40);
    const responses = await orderConcurrently(userIds, product.id, () => 1);

    expect(countStatuses(responses)).toEqual({ 201: 5, 409: 35 });
    const refused = responses.filter((res) => res.status === 409);
    for (const res of refused) {
      expect(res.body.error).toMatchObject({
        code: "INSUFFICIENT_STOCK",
        details: { productId: product.id, requested: 1 },
      });
    }
    expect(await stockOf(t.prisma, product.id)).toBe(0);
    expect(await t.prisma.orderItem.count({ where: { productId: product.id } })).toBe(5);
    expect(await t.prisma.order.count({ where: { items: { some: { productId: product.id } } } })).toBe(5);
  });

  it("never sells more units than in stock when buyers ask for several units each", async () => {
    const product = await createProduct(t.prisma, { stock: 17 });
    const userIds = await createUsers(t.prisma, 30);
    const responses = await orderConcurrently(userIds, product.id, (i) => 1 + (i % 4));

    const sold = responses.reduce((units, res, i) => (res.status === 201 ? units + 1 + (i % 4) : units), 0);
    expect(Object.keys(countStatuses(responses)).sort()).toEqual(["201", "409"]);
    expect(sold).toBeLessThanOrEqual(17);
    expect(await stockOf(t.prisma, product.id)).toBe(17 - sold);
    const items = await t.prisma.orderItem.aggregate({ where: { productId: product.id }, _sum: { quantity: true } });
    expect(items._sum.quantity ?? 0).toBe(sold);
    // Every refusal is genuine: the buyer asked for more than was left at the end.
    for (const [i, res] of responses.entries()) {
      if (res.status === 409) expect(1 + (i % 4)).toBeGreaterThan(17 - sold);
    }
  });

  it("does not deadlock when multi-line orders lock the same products in opposite order", async () => {
    const a = await createProduct(t.prisma, { stock: 1000 });
    const b = await createProduct(t.prisma, { stock: 1000 });
    const userIds = await createUsers(t.prisma, 30);
    const responses = await Promise.all(
      userIds.map((userId, i) => {
        const lines = [
          { productId: a.id, quantity: 2 },
          { productId: b.id, quantity: 3 },
        ];
        return request(server)
          .post("/api/orders")
          .send({ userId, items: i % 2 === 0 ? lines : [...lines].reverse() });
      }),
    );
    expect(countStatuses(responses)).toEqual({ 201: 30 });
    expect(await stockOf(t.prisma, a.id)).toBe(1000 - 60);
    expect(await stockOf(t.prisma, b.id)).toBe(1000 - 90);
  });
});
