import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../generated/client";

export type { CatalogItem, Prisma, PrismaClient } from "../../generated/client";

/** Connections the service keeps to its database. */
export const DATABASE_POOL_SIZE = 10;

/** A Prisma client on the js engine over node-postgres (no engine binaries; see ADR 0002). */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: DATABASE_POOL_SIZE }) });
}
