import { createHttpApp, type Logger } from "@strangler/service-kit";
import type { PrismaClient } from "./db/prisma-client";
import { createProductsRouter } from "./products/products-router";

export interface CatalogServiceDeps {
  prisma: PrismaClient;
  logger: Logger;
}

/** The catalog service's HTTP app: the /api/products reads on its own database. */
export function createCatalogServiceApp(deps: CatalogServiceDeps) {
  return createHttpApp({
    name: "catalog-service",
    logger: deps.logger,
    readiness: async () => {
      await deps.prisma.$queryRaw`SELECT 1`;
    },
    routes: (app) => {
      app.use("/api/products", createProductsRouter(deps.prisma));
    },
  }).app;
}
