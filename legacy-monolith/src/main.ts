import { createLogger, loadHttpAppConfig, serve } from "@strangler/service-kit";
import { createMonolithApp } from "./app";
import { createPrismaClient } from "./db/prisma-client";

/** Port the monolith listens on when PORT is not set. */
export const DEFAULT_PORT = 4101;

async function main(): Promise<void> {
  const config = loadHttpAppConfig("legacy-monolith", process.env, DEFAULT_PORT);
  const logger = createLogger("legacy-monolith", config.LOG_LEVEL);
  const prisma = createPrismaClient(config.DATABASE_URL);
  const app = createMonolithApp({ prisma, logger });
  await serve(app, { host: config.HOST, port: config.PORT, logger, onShutdown: () => prisma.$disconnect() });
}

main().catch((error: unknown) => {
  process.stderr.write(`legacy-monolith failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
