import type { Express } from "express";
import { createLogger } from "@strangler/service-kit";
import { createTestDatabase } from "../../stack/src/testing/test-database";
import { createMonolithApp } from "../../legacy-monolith/src/app";
import { createPrismaClient as createMonolithPrisma } from "../../legacy-monolith/src/db/prisma-client";
import { createUsersServiceApp } from "../../extracted/users-service/src/app";
import { createPrismaClient as createServicePrisma } from "../../extracted/users-service/src/db/prisma-client";

/** One app that serves /api/users, on a database of its own for the length of a test file. */
export interface UsersApiTarget {
  app: Express;
  /** Rows in the table behind /api/users, counted in the database (not through the API). */
  countRows(): Promise<number>;
  close(): Promise<void>;
}

export interface UsersApiTargetFactory {
  name: string;
  start(): Promise<UsersApiTarget>;
}

const logger = createLogger("contract-test", "silent");

export const monolithTarget: UsersApiTargetFactory = {
  name: "legacy-monolith",
  async start() {
    const db = await createTestDatabase("monolith");
    const prisma = createMonolithPrisma(db.url);
    return {
      app: createMonolithApp({ prisma, logger }),
      countRows: () => prisma.user.count(),
      close: async () => {
        await prisma.$disconnect();
        await db.drop();
      },
    };
  },
};

export const usersServiceTarget: UsersApiTargetFactory = {
  name: "users-service",
  async start() {
    const db = await createTestDatabase("users_service");
    const prisma = createServicePrisma(db.url);
    return {
      app: createUsersServiceApp({ prisma, logger }),
      countRows: () => prisma.userProfile.count(),
      close: async () => {
        await prisma.$disconnect();
        await db.drop();
      },
    };
  },
};
