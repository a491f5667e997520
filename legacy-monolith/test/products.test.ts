import request from "supertest";
import { databaseFootprint, startMonolithTestApp, type MonolithTestApp } from "./support/monolith-test-app";

let t: MonolithTestApp;

beforeAll(async () => {
  t = await startMonolithTestApp();
});

afterAll(async () => {
  await t?.close();
});

const post = (body: unknown) =>
  request(t.app)
    .post("/api/products")
    .send(body as object);
const fieldsOf = (res: request.Response) => (res.body.error.details.fields as { field: string }[]).map((f) => f.field);

describe("POST /api/products", () => {
  it("creates a product and answers 201 with it, description defaulting to empty", async () => {
    const res = await post({ sku: "MUG-001", name: "  Blue   Mug ", priceCents: 899, stock: 12 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sku: "MUG-001",
      name: "Blue Mug",
      description: "",
      priceCents: 899,
      stock: 12,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const stored = await t.prisma.product.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(stored.sku).toBe("MUG-001");
  });

  it("answers 409 SKU_TAKEN naming the sku field when the sku exists, and writes nothing", async () => {
    await post({ sku: "DUP-1", name: "First", priceCents: 100, stock: 1 }).expect(201);
    const before = await databaseFootprint(t.prisma);
    const res = await post({ sku: "DUP-1", name: "Second", priceCents: 200, stock: 2 });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "SKU_TAKEN", details: { field: "sku" } });
    expect(await databaseFootprint(t.prisma)).toEqual(before);
  });

  it("answers 400 VALIDATION_FAILED naming missing, unknown and mistyped fields", async () => {
    const before = await databaseFootprint(t.prisma);
    const res = await post({ name: "No sku", priceCents: "12", stock: 1.5, colour: "red" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(fieldsOf(res).sort()).toEqual(["colour", "priceCents", "sku", "stock"]);
    expect(await databaseFootprint(t.prisma)).toEqual(before);
  });

  it("rejects negative prices, negative stock and malformed skus", async () => {
    const res = await post({ sku: "has space", name: "X", priceCents: -1, stock: -5 });
    expect(res.status).toBe(400);
    expect(fieldsOf(res).sort()).toEqual(["priceCents", "sku", "stock"]);
  });

  it("rejects a body that is not a JSON object", async () => {
    const res = await post([1, 2]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
  });
});

describe("GET /api/products", () => {
  beforeAll(async () => {
    for (const [sku, name] of [
      ["LAMP-RED", "Reading Lamp"],
      ["LAMP-BLU", "Desk Lamp"],
      ["CHAIR-01", "Office Chair"],
    ]) {
      await post({ sku, name, priceCents: 5000, stock: 3 }).expect(201);
    }
  });

  it("pages through products with limit, offset and the total", async () => {
    const all = await request(t.app).get("/api/products?limit=100").expect(200);
    const total = all.body.page.total as number;
    expect(all.body.data).toHaveLength(total);
    const page = await request(t.app).get("/api/products?limit=2&offset=1").expect(200);
    expect(page.body.page).toEqual({ limit: 2, offset: 1, total });
    expect(page.body.data.map((p: { id: string }) => p.id)).toEqual(
      all.body.data.slice(1, 3).map((p: { id: string }) => p.id),
    );
  });

  it("searches name and sku case-insensitively with q", async () => {
    const byName = await request(t.app).get("/api/products?q=lamp").expect(200);
    expect(byName.body.data.map((p: { sku: string }) => p.sku).sort()).toEqual(["LAMP-BLU", "LAMP-RED"]);
    expect(byName.body.page.total).toBe(2);
    const bySku = await request(t.app).get("/api/products?q=chair-0").expect(200);
    expect(bySku.body.data.map((p: { sku: string }) => p.sku)).toEqual(["CHAIR-01"]);
  });

  it("treats LIKE wildcards in q as plain text", async () => {
    expect((await request(t.app).get("/api/products?q=%25").expect(200)).body.page.total).toBe(0);
    expect((await request(t.app).get("/api/products?q=_").expect(200)).body.page.total).toBe(0);
  });

  it("answers 400 naming the query field for a bad limit or an unknown parameter", async () => {
    const res = await request(t.app).get("/api/products?limit=0&sort=name");
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "limit", location: "query" }),
        expect.objectContaining({ field: "sort", location: "query" }),
      ]),
    );
  });
});

describe("GET /api/products/:id", () => {
  it("returns the product", async () => {
    const created = await post({ sku: "GET-1", name: "Gettable", priceCents: 1, stock: 0 }).expect(201);
    const res = await request(t.app).get(`/api/products/${created.body.id}`).expect(200);
    expect(res.body).toEqual(created.body);
  });

  it("answers 404 NOT_FOUND for a product that does not exist", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    const res = await request(t.app).get(`/api/products/${id}`);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "NOT_FOUND", details: { resource: "product", id } });
  });

  it("answers 400 naming the id for a malformed UUID", async () => {
    const res = await request(t.app).get("/api/products/not-a-uuid");
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual([expect.objectContaining({ field: "id", location: "params" })]);
  });
});

describe("PATCH /api/products/:id", () => {
  it("updates name, description, price and stock", async () => {
    const created = await post({ sku: "PATCH-1", name: "Old", priceCents: 100, stock: 1 }).expect(201);
    const res = await request(t.app)
      .patch(`/api/products/${created.body.id}`)
      .send({ name: "New", description: "Now with more", priceCents: 250, stock: 40 })
      .expect(200);
    expect(res.body).toMatchObject({
      sku: "PATCH-1",
      name: "New",
      description: "Now with more",
      priceCents: 250,
      stock: 40,
    });
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));
  });

  it("refuses to change the sku, naming it as an unknown field, and writes nothing", async () => {
    const created = await post({ sku: "PATCH-2", name: "Fixed", priceCents: 100, stock: 1 }).expect(201);
    const res = await request(t.app).patch(`/api/products/${created.body.id}`).send({ sku: "OTHER", stock: 9 });
    expect(res.status).toBe(400);
    expect(fieldsOf(res)).toEqual(["sku"]);
    const stored = await t.prisma.product.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(stored).toMatchObject({ sku: "PATCH-2", stock: 1 });
  });

  it("answers 400 for an empty patch", async () => {
    const created = await post({ sku: "PATCH-3", name: "Same", priceCents: 100, stock: 1 }).expect(201);
    const res = await request(t.app).patch(`/api/products/${created.body.id}`).send({});
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("answers 404 for a product that does not exist", async () => {
    const res = await request(t.app).patch("/api/products/00000000-0000-4000-8000-000000000001").send({ stock: 1 });
    expect(res.status).toBe(404);
    expect(res.body.error.details).toMatchObject({ resource: "product" });
  });
});
