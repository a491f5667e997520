import request from "supertest";
import { createProduct, createUser } from "./support/commerce-fixtures";
import { startMonolithTestApp, type MonolithTestApp } from "./support/monolith-test-app";

let t: MonolithTestApp;

beforeAll(async () => {
  t = await startMonolithTestApp();
});

afterAll(async () => {
  await t?.close();
});

describe("GET /api/users/:userId/orders", () => {
  it("lists the user's orders newest first, in pages with the total, and no one else's", async () => {
    const userId = await createUser(t.prisma);
    const other = await createUser(t.prisma);
    const product = await createProduct(t.prisma, { stock: 100 });
    const placed: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await request(t.app)
        .post("/api/orders")
        .send({ userId, items: [{ productId: product.id, quantity: i + 1 }] })
        .expect(201);
      placed.push(res.body.id);
    }
    await request(t.app)
      .post("/api/orders")
      .send({ userId: other, items: [{ productId: product.id, quantity: 1 }] })
      .expect(201);

    const all = await request(t.app).get(`/api/users/${userId}/orders`).expect(200);
    expect(all.body.page).toEqual({ limit: 20, offset: 0, total: 3 });
    expect(all.body.data.map((o: { id: string }) => o.id)).toEqual([...placed].reverse());
    expect(all.body.data[0]).toMatchObject({ userId, items: [{ quantity: 3 }], payment: { status: "pending" } });

    const second = await request(t.app).get(`/api/users/${userId}/orders?limit=1&offset=1`).expect(200);
    expect(second.body.page).toEqual({ limit: 1, offset: 1, total: 3 });
    expect(second.body.data.map((o: { id: string }) => o.id)).toEqual([placed[1]]);
  });

  it("answers an empty page for a user without orders", async () => {
    const userId = await createUser(t.prisma);
    const res = await request(t.app).get(`/api/users/${userId}/orders`).expect(200);
    expect(res.body).toEqual({ data: [], page: { limit: 20, offset: 0, total: 0 } });
  });

  it("answers 404 for a user that does not exist", async () => {
    const id = "00000000-0000-4000-8000-0000000000ff";
    const res = await request(t.app).get(`/api/users/${id}/orders`);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "NOT_FOUND", details: { resource: "user", id } });
  });

  it("answers 400 naming the userId for a malformed UUID and the field for a bad page size", async () => {
    const malformed = await request(t.app).get("/api/users/nope/orders");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details.fields).toEqual([
      expect.objectContaining({ field: "userId", location: "params" }),
    ]);
    const userId = await createUser(t.prisma);
    const tooBig = await request(t.app).get(`/api/users/${userId}/orders?limit=101`);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.details.fields).toEqual([expect.objectContaining({ field: "limit", location: "query" })]);
  });

  it("labels request metrics with the route pattern, not the user's id", async () => {
    const userId = await createUser(t.prisma);
    await request(t.app).get(`/api/users/${userId}/orders`).expect(200);
    const metrics = await request(t.app).get("/metrics").expect(200);
    expect(metrics.text).toContain('route="/api/users/:userId/orders"');
    expect(metrics.text).not.toContain(userId);
  });

  it("leaves the users API itself untouched", async () => {
    const userId = await createUser(t.prisma);
    const res = await request(t.app).get(`/api/users/${userId}`).expect(200);
    expect(res.body.id).toBe(userId);
  });
});
