import type { Express } from "express";
import { createLogger } from "@strangler/service-kit";
import { createTestDatabase } from "../../../../stack/src/testing/test-database";
import { createMonolithApp } from "../../../../legacy-monolith/src/app";
import { createPrismaClient as createMonolithPrisma } from "../../../../legacy-monolith/src/db/prisma-client";
import { createCatalogServiceApp } from "../../src/app";
import { createPrismaClient as createCatalogPrisma } from "../../src/db/prisma-client";
import { createCatalogTestDatabase } from "./catalog-test-database";
import type { ProductFixture } from "./product-fixtures";

/** One app that serves the /api/products reads, on a database of its own for the length of a test file. */
export interface ProductsApiTarget {
  app: Express;
  /** Writes products straight into the app's own table, in its own shape. */
  seed(products: readonly ProductFixture[]): Promise<void>;
  close(): Promise<void>;
}

export interface ProductsApiTargetFactory {
  name: string;
  start(): Promise<ProductsApiTarget>;
}

const logger = createLogger("contract-test", "silent");

export const monolithTarget: ProductsApiTargetFactory = {
  name: "legacy-monolith",
  async start() {
    const db = await createTestDatabase("monolith");
    const prisma = createMonolithPrisma(db.url);
    return {
      app: createMonolithApp({ prisma, logger }),
      async seed(products) {
        await prisma.product.createMany({
          data: products.map((p) => ({ ...p, createdAt: new Date(p.createdAt), updatedAt: new Date(p.updatedAt) })),
        });
      },
      close: async () => {
        await prisma.$disconnect();
        await db.drop();
      },
    };
  },
};

export const catalogServiceTarget: ProductsApiTargetFactory = {
  name: "catalog-service",
  async start() {
    const db = await createCatalogTestDatabase();
    const prisma = createCatalogPrisma(db.url);
    return {
      app: createCatalogServiceApp({ prisma, logger }),
      async seed(products) {
        await prisma.catalogItem.createMany({
          data: products.map((p) => ({
            itemId: p.id,
            itemCode: p.sku,
            title: p.name,
            summary: p.description,
            priceAmount: p.priceCents,
            unitsInStock: p.stock,
            listedAt: new Date(p.createdAt),
            updatedAt: new Date(p.updatedAt),
          })),
        });
      },
      close: async () => {
        await prisma.$disconnect();
        await db.drop();
      },
    };
  },
};
