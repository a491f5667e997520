import { createLogger, serve } from "@strangler/service-kit";
import { createUsersServiceApp } from "./app";
import { createPrismaClient } from "./db/prisma-client";
import { loadUsersServiceConfig } from "./users-service-config";

/** Port the users service listens on when PORT is not set. */
export const DEFAULT_PORT = 4102;

async function main(): Promise<void> {
  const config = loadUsersServiceConfig(process.env, DEFAULT_PORT);
  const logger = createLogger("users-service", config.LOG_LEVEL);
  const prisma = createPrismaClient(config.DATABASE_URL);
  if (config.testUppercaseLastNames > 0)
    logger.warn(
      { share: config.testUppercaseLastNames },
      "testing switch USERS_SERVICE_TEST_UPPERCASE_LAST_NAMES is on: some answers show upper-cased last names",
    );
  const app = createUsersServiceApp({ prisma, logger, testUppercaseLastNames: config.testUppercaseLastNames });
  await serve(app, { host: config.HOST, port: config.PORT, logger, onShutdown: () => prisma.$disconnect() });
}

main().catch((error: unknown) => {
  process.stderr.write(`users-service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
