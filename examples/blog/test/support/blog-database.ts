import path from "node:path";
import { runPrismaCli } from "@strangler/prisma-offline";
import { createEmptyTestDatabase, type TestDatabase } from "../../../../stack/src/testing/test-database";

const BLOG_DIR = path.join(__dirname, "..", "..");

/** An empty database of the test PostgreSQL, migrated by the blog's own Prisma migrations (as `prisma migrate deploy` does). */
export async function createBlogDatabase(tag: string): Promise<TestDatabase> {
  const db = await createEmptyTestDatabase(tag);
  const migrated = await runPrismaCli(BLOG_DIR, ["migrate", "deploy"], { DATABASE_URL: db.url });
  if (migrated.code !== 0) {
    await db.drop();
    throw new Error(`prisma migrate deploy of the blog failed:\n${migrated.output}`);
  }
  return db;
}
