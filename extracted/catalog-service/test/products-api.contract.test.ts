import request from "supertest";
import { PRODUCT_FIXTURES, inListOrder, type ProductFixture } from "./support/product-fixtures";
import { catalogServiceTarget, monolithTarget, type ProductsApiTarget } from "./support/products-api-targets";

// One suite, two implementations: the proxy sends the product reads to either, so they must answer
// alike, error cases included. Both apps hold the same products, each in its own table shape.
const ordered = inListOrder(PRODUCT_FIXTURES);
const skus = (body: { data: ProductFixture[] }) => body.data.map((p) => p.sku);

describe.each([monolithTarget, catalogServiceTarget])("/api/products reads contract: $name", (factory) => {
  let target: ProductsApiTarget;
  const api = () => request(target.app);

  beforeAll(async () => {
    target = await factory.start();
    await target.seed(PRODUCT_FIXTURES);
  });
  afterAll(async () => {
    await target?.close();
  });

  describe("get one", () => {
    it.each(PRODUCT_FIXTURES.map((p) => [p.sku, p] as const))(
      "returns %s in the API's JSON shape",
      async (_sku, product) => {
        const res = await api().get(`/api/products/${product.id}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual(product);
      },
    );

    it("answers 404 NOT_FOUND for an unknown id", async () => {
      const id = "00000000-0000-4000-8000-00000000ffff";
      const res = await api().get(`/api/products/${id}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: { code: "NOT_FOUND", message: `product ${id} does not exist`, details: { resource: "product", id } },
      });
    });

    it("answers 400 for an id that is not a UUID", async () => {
      const res = await api().get("/api/products/42");
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      expect(res.body.error.details.fields).toEqual([{ field: "id", location: "params", message: "must be a UUID" }]);
    });

    it("answers 404 ROUTE_NOT_FOUND for a path no route serves", async () => {
      const res = await api().get(`/api/products/${ordered[0]?.id}/reviews`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("ROUTE_NOT_FOUND");
    });
  });

  describe("list", () => {
    it("pages 20 by default in creation order, ties broken by id, with the total", async () => {
      const res = await api().get("/api/products");
      expect(res.status).toBe(200);
      expect(res.body.page).toEqual({ limit: 20, offset: 0, total: PRODUCT_FIXTURES.length });
      expect(res.body.data).toEqual(ordered.slice(0, 20));
      expect(skus(res.body).slice(0, 2)).toEqual(["LAMP-BLU", "LAMP-RED"]);
    });

    it("pages with limit and offset, the last page short", async () => {
      const middle = await api().get("/api/products").query({ limit: 2, offset: 1 });
      expect(middle.body).toEqual({ data: ordered.slice(1, 3), page: { limit: 2, offset: 1, total: ordered.length } });
      const last = await api()
        .get("/api/products")
        .query({ limit: 100, offset: ordered.length - 1 });
      expect(last.body.data).toEqual(ordered.slice(-1));
      const past = await api()
        .get("/api/products")
        .query({ offset: ordered.length + 5 });
      expect(past.body).toEqual({ data: [], page: { limit: 20, offset: ordered.length + 5, total: ordered.length } });
    });

    it("searches name and sku case-insensitively with q, the total counting matches only", async () => {
      const byName = await api().get("/api/products").query({ q: "LAMP" });
      expect(skus(byName.body)).toEqual(["LAMP-BLU", "LAMP-RED"]);
      expect(byName.body.page.total).toBe(2);
      const bySku = await api().get("/api/products").query({ q: "chair-0" });
      expect(skus(bySku.body)).toEqual(["CHAIR-01"]);
      const paged = await api().get("/api/products").query({ q: "bulk item 1", limit: 3, offset: 1 });
      expect(paged.body.page).toEqual({ limit: 3, offset: 1, total: 11 });
      expect(skus(paged.body)).toEqual(["BULK-10", "BULK-11", "BULK-12"]);
    });

    it("treats LIKE wildcards in q as plain text", async () => {
      expect(skus((await api().get("/api/products").query({ q: "100%" })).body)).toEqual(["TEE_100"]);
      expect(skus((await api().get("/api/products").query({ q: "_" })).body)).toEqual(["TEE_100"]);
      expect((await api().get("/api/products").query({ q: "%%" })).body.page.total).toBe(0);
    });

    it.each([
      [{ limit: "0" }, "limit", "must be at least 1"],
      [{ limit: "101" }, "limit", "must be at most 100"],
      [{ offset: "-1" }, "offset", "must be a whole number"],
      [{ limit: "ten" }, "limit", "must be a whole number"],
      [{ q: "" }, "q", "must not be empty"],
      [{ sort: "name" }, "sort", "unknown field"],
    ])("rejects the query %j with 400 naming %s", async (query, field, message) => {
      const res = await api().get("/api/products").query(query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      expect(res.body.error.details.fields).toContainEqual({ field, location: "query", message });
    });
  });

  describe("plumbing", () => {
    it("echoes a request id it is given and makes one otherwise", async () => {
      const given = await api().get("/api/products").set("x-request-id", "abc-123");
      expect(given.headers["x-request-id"]).toBe("abc-123");
      const made = await api().get("/healthz");
      expect(made.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("is ready while its database answers and exposes Prometheus metrics", async () => {
      expect((await api().get("/readyz")).status).toBe(200);
      await api().get("/api/products").expect(200);
      const metrics = await api().get("/metrics");
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('http_requests_total{method="GET",route="/api/products",status="200"');
    });
  });
});

// The same requests to both apps, answered byte for byte alike (status and JSON body).
describe("/api/products reads: the monolith and the catalog service answer alike", () => {
  let monolith: ProductsApiTarget;
  let catalog: ProductsApiTarget;

  beforeAll(async () => {
    [monolith, catalog] = await Promise.all([monolithTarget.start(), catalogServiceTarget.start()]);
    await Promise.all([monolith.seed(PRODUCT_FIXTURES), catalog.seed(PRODUCT_FIXTURES)]);
  });
  afterAll(async () => {
    await Promise.all([monolith?.close(), catalog?.close()]);
  });

  it.each([
    "/api/products",
    "/api/products?limit=100",
    "/api/products?limit=5&offset=3",
    "/api/products?q=lamp",
    "/api/products?q=%C3%BC",
    "/api/products?q=cotton&limit=1",
    "/api/products?limit=0&offset=x&extra=1",
    "/api/products?q=a&q=b",
    `/api/products/${PRODUCT_FIXTURES[2]?.id}`,
    "/api/products/00000000-0000-4000-8000-00000000ffff",
    "/api/products/not-a-uuid",
    "/api/products//",
  ])("GET %s", async (path) => {
    const [old, next] = await Promise.all([request(monolith.app).get(path), request(catalog.app).get(path)]);
    expect({ status: next.status, body: next.body }).toEqual({ status: old.status, body: old.body });
  });
});
