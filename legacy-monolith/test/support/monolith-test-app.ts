import type { Express } from "express";
import { createLogger } from "@strangler/service-kit";
import { createTestDatabase } from "../../../stack/src/testing/test-database";
import { createMonolithApp } from "../../src/app";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma-client";

/** The monolith app on a fresh clone of the migrated template database, for one test file. */
export interface MonolithTestApp {
  app: Express;
  prisma: PrismaClient;
  close(): Promise<void>;
}

export async function startMonolithTestApp(): Promise<MonolithTestApp> {
  const db = await createTestDatabase("monolith");
  const prisma = createPrismaClient(db.url);
  const app = createMonolithApp({ prisma, logger: createLogger("test", "silent") });
  return {
    app,
    prisma,
    async close() {
      await prisma.$disconnect();
      await db.drop();
    },
  };
}

/** Row counts of every table plus total stock: equal before and after means nothing was written. */
export async function databaseFootprint(prisma: PrismaClient): Promise<Record<string, number>> {
  const [users, products, orders, orderItems, payments, shipments, stock] = await Promise.all([
    prisma.user.count(),
    prisma.product.count(),
    prisma.order.count(),
    prisma.orderItem.count(),
    prisma.payment.count(),
    prisma.shipment.count(),
    prisma.product.aggregate({ _sum: { stock: true } }),
  ]);
  return { users, products, orders, orderItems, payments, shipments, stock: stock._sum.stock ?? 0 };
}
