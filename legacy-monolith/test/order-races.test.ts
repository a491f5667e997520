import type { Server } from "node:http";
import request from "supertest";
import { createProduct, createUser, stockOf } from "./support/commerce-fixtures";
import { startMonolithTestApp, type MonolithTestApp } from "./support/monolith-test-app";

let t: MonolithTestApp;
let server: Server;

beforeAll(async () => {
  t = await startMonolithTestApp();
  server = t.app.listen(0, "127.0.0.1");
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t?.close();
});

async function pendingOrder(stock: number, quantity: number): Promise<{ orderId: string; productId: string }> {
  const userId = await createUser(t.prisma);
  const product = await createProduct(t.prisma, { stock });
  const res = await request(server)
    .post("/api/orders")
    .send({ userId, items: [{ productId: product.id, quantity }] })
    .expect(201);
  return { orderId: res.body.id, productId: product.id };
}

const times = <T>(n: number, make: () => Promise<T>) => Promise.all(Array.from({ length: n }, make));

describe("concurrent state changes", () => {
  it("lets exactly one of ten simultaneous payments win", async () => {
    const { orderId } = await pendingOrder(5, 1);
    const responses = await times(10, () =>
      request(server).post(`/api/orders/${orderId}/pay`).send({ method: "card" }),
    );
    expect(responses.map((res) => res.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    const codes = responses.filter((res) => res.status === 409).map((res) => res.body.error.code);
    expect(new Set(codes)).toEqual(new Set(["ORDER_NOT_PAYABLE"]));
  });

  it("restores stock exactly once when ten cancels race on a paid order", async () => {
    const { orderId, productId } = await pendingOrder(5, 3);
    await request(server).post(`/api/orders/${orderId}/pay`).send({ method: "card" }).expect(200);
    const responses = await times(10, () => request(server).post(`/api/orders/${orderId}/cancel`));
    expect(responses.map((res) => res.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    expect(await stockOf(t.prisma, productId)).toBe(5);
    const payment = await t.prisma.payment.findUniqueOrThrow({ where: { orderId } });
    expect(payment.status).toBe("refunded");
  });

  it("settles a pay racing a cancel consistently: the payment matches whichever won", async () => {
    const { orderId, productId } = await pendingOrder(4, 4);
    const [paid, cancelled] = await Promise.all([
      request(server).post(`/api/orders/${orderId}/pay`).send({ method: "paypal" }),
      request(server).post(`/api/orders/${orderId}/cancel`),
    ]);
    const order = await t.prisma.order.findUniqueOrThrow({ where: { id: orderId }, include: { payment: true } });
    expect(cancelled.status).toBe(200); // cancel accepts pending and paid, so it always wins in the end
    expect(order.status).toBe("cancelled");
    expect(order.payment?.status).toBe(paid.status === 200 ? "refunded" : "voided");
    expect(await stockOf(t.prisma, productId)).toBe(4);
  });
});
