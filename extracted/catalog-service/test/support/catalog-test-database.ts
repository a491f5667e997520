import path from "node:path";
import { runPrismaCli } from "@strangler/prisma-offline";
import { createEmptyTestDatabase, type TestDatabase } from "../../../../stack/src/testing/test-database";

const APP_DIR = path.join(__dirname, "..", "..");

/**
 * An empty database of the test PostgreSQL with the catalog service's own Prisma migrations applied
 * (`prisma migrate deploy`, as the stack does); call drop() in afterAll.
 */
export async function createCatalogTestDatabase(): Promise<TestDatabase> {
  const db = await createEmptyTestDatabase("catalog_service");
  const result = await runPrismaCli(APP_DIR, ["migrate", "deploy"], { DATABASE_URL: db.url });
  if (result.code !== 0) {
    await db.drop();
    throw new Error(`prisma migrate deploy failed on ${db.name}, exit ${result.code}:\n${result.output.trimEnd()}`);
  }
  return db;
}
