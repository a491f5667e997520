import request from "supertest";
import { createProduct, createUser, stockOf } from "./support/commerce-fixtures";
import { databaseFootprint, startMonolithTestApp, type MonolithTestApp } from "./support/monolith-test-app";

let t: MonolithTestApp;

beforeAll(async () => {
  t = await startMonolithTestApp();
});

afterAll(async () => {
  await t?.close();
});

/** A fresh pending order for 2 units of a product that had 10; returns both ids. */
async function pendingOrder(): Promise<{ orderId: string; productId: string }> {
  const userId = await createUser(t.prisma);
  const product = await createProduct(t.prisma, { priceCents: 1500, stock: 10 });
  const res = await request(t.app)
    .post("/api/orders")
    .send({ userId, items: [{ productId: product.id, quantity: 2 }] })
    .expect(201);
  return { orderId: res.body.id, productId: product.id };
}

const pay = (id: string, method = "card") => request(t.app).post(`/api/orders/${id}/pay`).send({ method });
const ship = (id: string) =>
  request(t.app).post(`/api/orders/${id}/ship`).send({ carrier: "DHL", trackingNumber: "JD0146000" });
const cancel = (id: string) => request(t.app).post(`/api/orders/${id}/cancel`);

describe("paying", () => {
  it("marks a pending order paid and its payment succeeded with the method and paidAt", async () => {
    const { orderId } = await pendingOrder();
    const res = await pay(orderId, "paypal").expect(200);
    expect(res.body.status).toBe("paid");
    expect(res.body.payment).toMatchObject({ status: "succeeded", method: "paypal", amountCents: 3000 });
    expect(Date.parse(res.body.payment.paidAt)).not.toBeNaN();
  });

  it("answers 409 ORDER_NOT_PAYABLE for an order that is already paid, and changes nothing", async () => {
    const { orderId } = await pendingOrder();
    const first = await pay(orderId).expect(200);
    const res = await pay(orderId, "bank_transfer");
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: "ORDER_NOT_PAYABLE",
      details: { id: orderId, status: "paid", allowed: ["pending"] },
    });
    const after = await request(t.app).get(`/api/orders/${orderId}`).expect(200);
    expect(after.body).toEqual(first.body);
  });

  it("answers 400 naming the method for an unsupported payment method", async () => {
    const { orderId } = await pendingOrder();
    const res = await pay(orderId, "bitcoin");
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual([expect.objectContaining({ field: "method", location: "body" })]);
  });

  it("answers 404 for an order that does not exist", async () => {
    const res = await pay("00000000-0000-4000-8000-0000000000aa");
    expect(res.status).toBe(404);
    expect(res.body.error.details).toMatchObject({ resource: "order" });
  });
});

describe("shipping", () => {
  it("answers 409 ORDER_NOT_SHIPPABLE for an unpaid order and writes no shipment", async () => {
    const { orderId } = await pendingOrder();
    const before = await databaseFootprint(t.prisma);
    const res = await ship(orderId);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "ORDER_NOT_SHIPPABLE", details: { status: "pending" } });
    expect(await databaseFootprint(t.prisma)).toEqual(before);
  });

  it("ships a paid order with a shipment row, and refuses to ship it twice", async () => {
    const { orderId } = await pendingOrder();
    await pay(orderId).expect(200);
    const res = await ship(orderId).expect(200);
    expect(res.body.status).toBe("shipped");
    expect(res.body.shipment).toEqual({
      id: expect.any(String),
      carrier: "DHL",
      trackingNumber: "JD0146000",
      shippedAt: expect.any(String),
    });
    const again = await ship(orderId);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("ORDER_NOT_SHIPPABLE");
    expect(await t.prisma.shipment.count({ where: { orderId } })).toBe(1);
  });

  it("answers 400 naming missing and empty shipment fields", async () => {
    const { orderId } = await pendingOrder();
    const res = await request(t.app).post(`/api/orders/${orderId}/ship`).send({ carrier: "  " });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      "carrier",
      "trackingNumber",
    ]);
  });
});

describe("cancelling", () => {
  it("cancels a pending order, voids its payment and puts the units back in stock", async () => {
    const { orderId, productId } = await pendingOrder();
    expect(await stockOf(t.prisma, productId)).toBe(8);
    const res = await cancel(orderId).expect(200);
    expect(res.body.status).toBe("cancelled");
    expect(res.body.payment.status).toBe("voided");
    expect(await stockOf(t.prisma, productId)).toBe(10);
  });

  it("cancels a paid order, refunds its payment and puts the units back in stock", async () => {
    const { orderId, productId } = await pendingOrder();
    await pay(orderId).expect(200);
    const res = await cancel(orderId).expect(200);
    expect(res.body).toMatchObject({ status: "cancelled", payment: { status: "refunded", method: "card" } });
    expect(await stockOf(t.prisma, productId)).toBe(10);
  });

  it("answers 409 ORDER_NOT_CANCELLABLE for a shipped order and keeps its stock taken", async () => {
    const { orderId, productId } = await pendingOrder();
    await pay(orderId).expect(200);
    await ship(orderId).expect(200);
    const res = await cancel(orderId);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: "ORDER_NOT_CANCELLABLE",
      details: { status: "shipped", allowed: ["pending", "paid"] },
    });
    expect(await stockOf(t.prisma, productId)).toBe(8);
  });

  it("answers 409 when cancelling twice, restoring the stock only once", async () => {
    const { orderId, productId } = await pendingOrder();
    await cancel(orderId).expect(200);
    const res = await cancel(orderId);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("ORDER_NOT_CANCELLABLE");
    expect(await stockOf(t.prisma, productId)).toBe(10);
  });

  it("answers 409 ORDER_NOT_PAYABLE when paying a cancelled order", async () => {
    const { orderId } = await pendingOrder();
    await cancel(orderId).expect(200);
    const res = await pay(orderId);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "ORDER_NOT_PAYABLE", details: { status: "cancelled" } });
  });

  it("answers 400 for an unknown field in the cancel body", async () => {
    const { orderId } = await pendingOrder();
    const res = await request(t.app).post(`/api/orders/${orderId}/cancel`).send({ reason: "changed my mind" });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual([expect.objectContaining({ field: "reason" })]);
  });
});
