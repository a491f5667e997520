import { createHttpApp, type Logger } from "@strangler/service-kit";
import type { PrismaClient } from "./db/prisma-client";
import { createOrdersRouter } from "./orders/orders-router";
import { createUserOrdersRouter } from "./orders/user-orders-router";
import { createProductsRouter } from "./products/products-router";
import { createUsersRouter } from "./users/users-router";

export interface MonolithDeps {
  prisma: PrismaClient;
  logger: Logger;
}

/** The legacy monolith's HTTP app: every feature on one shared schema. */
export function createMonolithApp(deps: MonolithDeps) {
  return createHttpApp({
    name: "legacy-monolith",
    logger: deps.logger,
    readiness: async () => {
      await deps.prisma.$queryRaw`SELECT 1`;
    },
    routes: (app) => {
      app.use("/api/users", createUserOrdersRouter(deps.prisma));
      app.use("/api/users", createUsersRouter(deps.prisma));
      app.use("/api/products", createProductsRouter(deps.prisma));
      app.use("/api/orders", createOrdersRouter(deps.prisma));
    },
  }).app;
}
