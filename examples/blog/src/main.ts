import { createBlogApp } from "./app";
import { loadBlogConfig } from "./blog-config";
import { createPrismaClient } from "./db/prisma-client";

/** Starts the blog on HOST:PORT and stops it cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadBlogConfig(process.env);
  const prisma = createPrismaClient(config.databaseUrl);
  const app = createBlogApp({ prisma, tokenSecret: config.tokenSecret });
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const stop = () => {
    server.close(() => void prisma.$disconnect().finally(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`blog failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
