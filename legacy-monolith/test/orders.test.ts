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

const placeOrder = (body: unknown) =>
  request(t.app)
    .post("/api/orders")
    .send(body as object);
const fieldsOf = (res: request.Response) => (res.body.error.details.fields as { field: string }[]).map((f) => f.field);
const MISSING = "00000000-0000-4000-8000-00000000abcd";

describe("POST /api/orders", () => {
  it("places an order: 201 with lines by product id, current prices, total and a pending payment", async () => {
    const userId = await createUser(t.prisma);
    const a = await createProduct(t.prisma, { priceCents: 1000, stock: 5 });
    const b = await createProduct(t.prisma, { priceCents: 250, stock: 8 });
    const res = await placeOrder({
      userId,
      items: [
        { productId: a.id, quantity: 2 },
        { productId: b.id, quantity: 3 },
      ],
    });
    expect(res.status).toBe(201);
    const lines = [
      { id: expect.any(String), productId: a.id, quantity: 2, unitPriceCents: 1000 },
      { id: expect.any(String), productId: b.id, quantity: 3, unitPriceCents: 250 },
    ].sort((x, y) => (x.productId < y.productId ? -1 : 1));
    expect(res.body).toEqual({
      id: expect.any(String),
      userId,
      status: "pending",
      totalCents: 2750,
      items: lines,
      payment: { id: expect.any(String), status: "pending", amountCents: 2750, method: null, paidAt: null },
      shipment: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await stockOf(t.prisma, a.id)).toBe(3);
    expect(await stockOf(t.prisma, b.id)).toBe(5);
  });

  it("keeps the unit price of the order when the product's price changes later", async () => {
    const userId = await createUser(t.prisma);
    const product = await createProduct(t.prisma, { priceCents: 700 });
    const placed = await placeOrder({ userId, items: [{ productId: product.id, quantity: 1 }] }).expect(201);
    await request(t.app).patch(`/api/products/${product.id}`).send({ priceCents: 9900 }).expect(200);
    const res = await request(t.app).get(`/api/orders/${placed.body.id}`).expect(200);
    expect(res.body.items[0].unitPriceCents).toBe(700);
    expect(res.body.totalCents).toBe(700);
  });

  it("answers 404 for a user that does not exist and writes nothing", async () => {
    const product = await createProduct(t.prisma);
    const before = await databaseFootprint(t.prisma);
    const res = await placeOrder({ userId: MISSING, items: [{ productId: product.id, quantity: 1 }] });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "NOT_FOUND", details: { resource: "user", id: MISSING } });
    expect(await databaseFootprint(t.prisma)).toEqual(before);
  });

  it("answers 404 for a product that does not exist and gives back stock already taken for other lines", async () => {
    const userId = await createUser(t.prisma);
    const real = await createProduct(t.prisma, { stock: 4 });
    const before = await databaseFootprint(t.prisma);
    const res = await placeOrder({
      userId,
      items: [
        { productId: real.id, quantity: 1 },
        { productId: MISSING, quantity: 1 },
      ],
    });
    expect(res.status).toBe(404);
    expect(res.body.error.details).toEqual({ resource: "product", id: MISSING });
    expect(await databaseFootprint(t.prisma)).toEqual(before);
    expect(await stockOf(t.prisma, real.id)).toBe(4);
  });

  it("answers 409 INSUFFICIENT_STOCK naming the product and its stock, and writes nothing", async () => {
    const userId = await createUser(t.prisma);
    const plenty = await createProduct(t.prisma, { stock: 100 });
    const scarce = await createProduct(t.prisma, { stock: 2 });
    const before = await databaseFootprint(t.prisma);
    const res = await placeOrder({
      userId,
      items: [
        { productId: plenty.id, quantity: 10 },
        { productId: scarce.id, quantity: 3 },
      ],
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: "INSUFFICIENT_STOCK",
      details: { productId: scarce.id, requested: 3, available: 2 },
    });
    expect(await databaseFootprint(t.prisma)).toEqual(before);
    expect(await stockOf(t.prisma, plenty.id)).toBe(100);
  });

  it("answers 422 ORDER_TOTAL_TOO_LARGE when the total does not fit the money columns", async () => {
    const userId = await createUser(t.prisma);
    const pricey = await createProduct(t.prisma, { priceCents: 100_000_000, stock: 1000 });
    const before = await databaseFootprint(t.prisma);
    const res = await placeOrder({ userId, items: [{ productId: pricey.id, quantity: 22 }] });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("ORDER_TOTAL_TOO_LARGE");
    expect(await databaseFootprint(t.prisma)).toEqual(before);
  });

  describe("validation", () => {
    const line = { productId: MISSING, quantity: 1 };
    const cases: [string, unknown, string[]][] = [
      ["missing userId and items", {}, ["items", "userId"]],
      ["an unknown field", { userId: MISSING, items: [line], coupon: "X" }, ["coupon"]],
      ["a malformed userId", { userId: "42", items: [line] }, ["userId"]],
      ["no items", { userId: MISSING, items: [] }, ["items"]],
      ["51 items", { userId: MISSING, items: Array.from({ length: 51 }, () => line) }, ["items"]],
      ["quantity 0", { userId: MISSING, items: [{ ...line, quantity: 0 }] }, ["items[0].quantity"]],
      ["quantity 1001", { userId: MISSING, items: [{ ...line, quantity: 1001 }] }, ["items[0].quantity"]],
      ["a quantity sent as a string", { userId: MISSING, items: [{ ...line, quantity: "2" }] }, ["items[0].quantity"]],
      ["a fractional quantity", { userId: MISSING, items: [{ ...line, quantity: 1.5 }] }, ["items[0].quantity"]],
      ["an unknown field in a line", { userId: MISSING, items: [{ ...line, price: 1 }] }, ["items[0].price"]],
      [
        "the same product twice",
        { userId: MISSING, items: [line, { productId: "00000000-0000-4000-8000-000000000002", quantity: 1 }, line] },
        ["items[2].productId"],
      ],
    ];
    it.each(cases)("answers 400 VALIDATION_FAILED for %s, naming the fields", async (_label, body, fields) => {
      const before = await databaseFootprint(t.prisma);
      const res = await placeOrder(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      expect(fieldsOf(res).sort()).toEqual(fields);
      expect(await databaseFootprint(t.prisma)).toEqual(before);
    });
  });
});

describe("GET /api/orders/:id", () => {
  it("returns the order with its lines, payment and no shipment yet", async () => {
    const userId = await createUser(t.prisma);
    const product = await createProduct(t.prisma);
    const placed = await placeOrder({ userId, items: [{ productId: product.id, quantity: 1 }] }).expect(201);
    const res = await request(t.app).get(`/api/orders/${placed.body.id}`).expect(200);
    expect(res.body).toEqual(placed.body);
  });

  it("answers 404 for an order that does not exist and 400 for a malformed id", async () => {
    const missing = await request(t.app).get(`/api/orders/${MISSING}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.details).toEqual({ resource: "order", id: MISSING });
    const malformed = await request(t.app).get("/api/orders/123");
    expect(malformed.status).toBe(400);
    expect(fieldsOf(malformed)).toEqual(["id"]);
  });
});
