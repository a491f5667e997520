import { createLogger, loadHttpAppConfig, serve } from "@strangler/service-kit";
import { createCatalogServiceApp } from "./app";
import { createPrismaClient } from "./db/prisma-client";

/** Port the catalog service listens on when PORT is not set. */
export const DEFAULT_PORT = 4103;

async function main(): Promise<void> {
  const config = loadHttpAppConfig("catalog-service", process.env, DEFAULT_PORT);
  const logger = createLogger("catalog-service", config.LOG_LEVEL);
  const prisma = createPrismaClient(config.DATABASE_URL);
  const app = createCatalogServiceApp({ prisma, logger });
  await serve(app, { host: config.HOST, port: config.PORT, logger, onShutdown: () => prisma.$disconnect() });
}

main().catch((error: unknown) => {
  process.stderr.write(`catalog-service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
