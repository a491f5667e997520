import { createHttpApp, type Logger } from "@strangler/service-kit";
import type { PrismaClient } from "./db/prisma-client";
import { createProfilePresenter } from "./profiles/last-name-switch";
import { createUsersRouter } from "./profiles/users-router";

export interface UsersServiceDeps {
  prisma: PrismaClient;
  logger: Logger;
  /** The testing switch USERS_SERVICE_TEST_UPPERCASE_LAST_NAMES (share 0–1 of users); default 0, off. */
  testUppercaseLastNames?: number;
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
      app.use("/api/users", createUsersRouter(deps.prisma, createProfilePresenter(deps.testUppercaseLastNames ?? 0)));
    },
  }).app;
}
