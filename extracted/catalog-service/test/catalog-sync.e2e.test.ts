import { randomUUID } from "node:crypto";
import path from "node:path";
import { Client } from "pg";
import request from "supertest";
import { createCdcStream, type CdcStream } from "@strangler/cdc";
import { loadMigrationConfig, type MigrationConfig } from "@strangler/migration-config";
import { createLogger } from "@strangler/service-kit";
import { createTestDatabase, type TestDatabase } from "../../../stack/src/testing/test-database";
import { createMonolithApp } from "../../../legacy-monolith/src/app";
import { createPrismaClient as createMonolithPrisma } from "../../../legacy-monolith/src/db/prisma-client";
import { createCatalogServiceApp } from "../src/app";
import { createPrismaClient as createCatalogPrisma } from "../src/db/prisma-client";
import { createCatalogTestDatabase } from "./support/catalog-test-database";

// The real embedded CDC transport, driven by the worked example's migration config: the monolith's
// products (its stock drawn down by orders placed through the monolith's API) → catalog_items.
const EXAMPLE_CONFIG = path.join(__dirname, "..", "..", "..", "migration-plan", "strangler.config.yaml");
const SERVICE = "catalog-service";
const tag = `${process.pid}_${randomUUID().slice(0, 8)}`;
const SLOT = `strangler_test_catalog_${tag}`;
const ORIGIN = `strangler_test_catalog_sink_${tag}`;
const logger = createLogger("catalog-sync-test", "silent");

let monolithDb: TestDatabase;
let catalogDb: TestDatabase;
let monolithSql: Client;
let catalogSql: Client;
let monolithPrisma: ReturnType<typeof createMonolithPrisma>;
let catalogPrisma: ReturnType<typeof createCatalogPrisma>;
let monolith: ReturnType<typeof createMonolithApp>;
let catalog: ReturnType<typeof createCatalogServiceApp>;
let stream: CdcStream | undefined;

/** The example config with its database URLs pointed at this test's databases; the mapping is the config's own. */
function exampleConfigOnTestDatabases(): MigrationConfig {
  const config = loadMigrationConfig(EXAMPLE_CONFIG, process.env);
  return {
    ...config,
    legacy: { ...config.legacy, database: monolithDb.url },
    services: config.services.map((service) =>
      service.name === SERVICE && service.data
        ? { ...service, data: { ...service.data, database: catalogDb.url } }
        : service,
    ),
  };
}

interface ItemRow {
  item_code: string;
  title: string;
  summary: string;
  price_amount: number;
  currency: string;
  units_in_stock: number;
  listed_at: string;
  updated_at: string;
}

/** The monolith's products as catalog_items rows should hold them, keyed by id. */
async function expectedItems(): Promise<Map<string, ItemRow>> {
  const { rows } = await monolithSql.query(
    "SELECT id, sku, name, description, price_cents, stock, created_at, updated_at FROM products",
  );
  return new Map(
    rows.map((p) => [
      p.id as string,
      {
        item_code: p.sku,
        title: p.name,
        summary: p.description,
        price_amount: p.price_cents,
        currency: "USD",
        units_in_stock: p.stock,
        listed_at: (p.created_at as Date).toISOString(),
        updated_at: (p.updated_at as Date).toISOString(),
      },
    ]),
  );
}

/** The service's catalog_items rows, keyed by item_id. */
async function actualItems(): Promise<Map<string, ItemRow>> {
  const { rows } = await catalogSql.query(
    "SELECT item_id, item_code, title, summary, price_amount, currency, units_in_stock, listed_at, updated_at FROM catalog_items",
  );
  return new Map(
    rows.map((r) => [
      r.item_id as string,
      {
        item_code: r.item_code,
        title: r.title,
        summary: r.summary,
        price_amount: r.price_amount,
        currency: r.currency,
        units_in_stock: r.units_in_stock,
        listed_at: (r.listed_at as Date).toISOString(),
        updated_at: (r.updated_at as Date).toISOString(),
      },
    ]),
  );
}

/** Polls until both sides hold the same rows key by key (the sink applies asynchronously). */
async function untilInSync(what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [expected, actual] = await Promise.all([expectedItems(), actualItems()]);
    if (
      expected.size === actual.size &&
      [...expected].every(([id, row]) => JSON.stringify(actual.get(id)) === JSON.stringify(row))
    )
      return;
    if (Date.now() > deadline) {
      // Fail with the key-by-key difference.
      expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
      throw new Error(`not in sync within ${timeoutMs} ms: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function createProduct(body: {
  sku: string;
  name: string;
  priceCents: number;
  stock: number;
  description?: string;
}): Promise<string> {
  const res = await request(monolith).post("/api/products").send(body).expect(201);
  return res.body.id as string;
}

async function placeOrder(userId: string, items: Array<{ productId: string; quantity: number }>): Promise<string> {
  const res = await request(monolith).post("/api/orders").send({ userId, items }).expect(201);
  return res.body.id as string;
}

async function stockIn(app: typeof monolith | typeof catalog, id: string): Promise<number> {
  return (await request(app).get(`/api/products/${id}`).expect(200)).body.stock as number;
}

/** Retried: the walsender releases the slot (and the sink's backend its origin) a moment after stop(). */
async function dropClusterObjects(): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    try {
      await monolithSql.query(
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1",
        [SLOT],
      );
      await monolithSql.query(`DROP PUBLICATION IF EXISTS "${SLOT}"`);
      await catalogSql.query("SELECT pg_replication_origin_drop(roname) FROM pg_replication_origin WHERE roname = $1", [
        ORIGIN,
      ]);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

beforeAll(async () => {
  [monolithDb, catalogDb] = await Promise.all([createTestDatabase("monolith"), createCatalogTestDatabase()]);
  monolithSql = new Client({ connectionString: monolithDb.url });
  catalogSql = new Client({ connectionString: catalogDb.url });
  await Promise.all([monolithSql.connect(), catalogSql.connect()]);
  monolithPrisma = createMonolithPrisma(monolithDb.url);
  catalogPrisma = createCatalogPrisma(catalogDb.url);
  monolith = createMonolithApp({ prisma: monolithPrisma, logger });
  catalog = createCatalogServiceApp({ prisma: catalogPrisma, logger });
});

afterAll(async () => {
  await stream?.stop();
  if (monolithSql && catalogSql) await dropClusterObjects();
  await Promise.all([
    monolithSql?.end(),
    catalogSql?.end(),
    monolithPrisma?.$disconnect(),
    catalogPrisma?.$disconnect(),
  ]);
  await Promise.all([monolithDb?.drop(), catalogDb?.drop()]);
});

test("products arrive through the snapshot, then stock drawn down (also by concurrent orders) and restored by orders, price edits, new and deleted products follow; both sides end equal key by key", async () => {
  const buyer = (
    await request(monolith)
      .post("/api/users")
      .send({ email: `buyer-${tag}@example.test`, name: "Catalog Buyer" })
      .expect(201)
  ).body.id as string;
  const mug = await createProduct({
    sku: "MUG-001",
    name: "Blue Mug",
    priceCents: 899,
    stock: 12,
    description: "Stoneware, 350 ml",
  });
  const lamp = await createProduct({ sku: "LAMP-RED", name: "Reading Lamp", priceCents: 5000, stock: 3 });
  const free = await createProduct({
    sku: "FREE_SAMPLE",
    name: "Sample 100% free",
    priceCents: 0,
    stock: 0,
    description: "Geschenk — gratis ✓",
  });
  const doomed = await createProduct({
    sku: "OLD-1",
    name: "Discontinued",
    priceCents: 100_000_000,
    stock: 1_000_000_000,
  });
  await placeOrder(buyer, [{ productId: mug, quantity: 2 }]);

  stream = createCdcStream(
    exampleConfigOnTestDatabases(),
    SERVICE,
    { logger },
    { slotName: SLOT, replicationOrigin: ORIGIN, heartbeatMs: 200 },
  );
  expect(stream.direction).toBe("monolith-to-catalog-service");
  await stream.start();
  expect(stream.status()).toMatchObject({ phase: "streaming", applied: 4, deadLettered: 0 });
  await untilInSync("snapshot");
  expect((await actualItems()).get(mug)).toMatchObject({
    item_code: "MUG-001",
    title: "Blue Mug",
    price_amount: 899,
    currency: "USD",
    units_in_stock: 10,
  });

  // Live: orders draw stock down, a cancel puts it back, the monolith edits a price, adds and removes products.
  await placeOrder(buyer, [
    { productId: mug, quantity: 3 },
    { productId: lamp, quantity: 1 },
  ]);
  const cancelled = await placeOrder(buyer, [{ productId: lamp, quantity: 2 }]);
  await request(monolith).post(`/api/orders/${cancelled}/cancel`).expect(200);
  await request(monolith)
    .patch(`/api/products/${mug}`)
    .send({ priceCents: 999, description: "Stoneware, 400 ml" })
    .expect(200);
  const added = await createProduct({ sku: "CHAIR-01", name: "Office Chair", priceCents: 12_500, stock: 5 });
  await placeOrder(buyer, [{ productId: added, quantity: 5 }]);
  await monolithSql.query("DELETE FROM products WHERE id = $1", [doomed]);
  // A rush on the last units: concurrent orders, the monolith's oversell guard refuses the surplus.
  const rush = await createProduct({ sku: "RUSH-1", name: "Limited Edition", priceCents: 2500, stock: 6 });
  const answers = await Promise.all(
    Array.from({ length: 10 }, () =>
      request(monolith)
        .post("/api/orders")
        .send({ userId: buyer, items: [{ productId: rush, quantity: 1 }] }),
    ),
  );
  expect(answers.map((res) => res.status).sort()).toEqual([...Array(6).fill(201), ...Array(4).fill(409)]);
  await untilInSync("live changes");

  await stream.stop();
  const [expected, actual] = await Promise.all([expectedItems(), actualItems()]);
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [id, row] of expected) expect(actual.get(id)).toEqual(row);
  expect(actual.get(mug)).toMatchObject({ price_amount: 999, summary: "Stoneware, 400 ml", units_in_stock: 7 });
  expect(actual.get(lamp)).toMatchObject({ units_in_stock: 2 });
  expect(actual.get(free)).toMatchObject({
    title: "Sample 100% free",
    summary: "Geschenk — gratis ✓",
    price_amount: 0,
    units_in_stock: 0,
  });
  expect(actual.get(added)).toMatchObject({ units_in_stock: 0 });
  expect(actual.has(doomed)).toBe(false);
  expect(actual.get(rush)).toMatchObject({ units_in_stock: 0 });
  expect(stream.status().deadLettered).toBe(0);

  // What the proxy's users see: the catalog service answers every product exactly as the monolith does.
  for (const id of expected.keys()) {
    const [old, next] = await Promise.all([
      request(monolith).get(`/api/products/${id}`),
      request(catalog).get(`/api/products/${id}`),
    ]);
    expect(next.body).toEqual(old.body);
  }
  const [oldList, newList] = await Promise.all([
    request(monolith).get("/api/products?limit=100"),
    request(catalog).get("/api/products?limit=100"),
  ]);
  expect(newList.body).toEqual(oldList.body);
  expect(await stockIn(catalog, mug)).toBe(7);
});
