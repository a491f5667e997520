import { createHttpApp, type Logger } from "@strangler/service-kit";
import type { PrismaClient } from "./db/prisma-client";
import { createUsersRouter } from "./profiles/users-router";

export interface UsersServiceDeps {
  prisma: PrismaClient;
  logger: Logger;
}

/** The users service's HTTP app: /api/users on its own database. */
export function createUsersServiceApp(deps: UsersServiceDeps) {
  return createHttpApp({
    name: "users-service",
    logger: deps.logger,
    readiness: async () => {
      await deps.prisma.$queryRaw`SELECT 1`;
    },
    routes: (app) => {
      app.use("/api/users", createUsersRouter(deps.prisma));
    },
  }).app;
}
