// The monolith's public entry point: what tools outside it (the demo) may use. Everything else in
// src/ is internal.
export { createMonolithApp, type MonolithDeps } from "./app";
export { createPrismaClient, type PrismaClient } from "./db/prisma-client";
export {
  DEFAULT_SEED_OPTIONS,
  seedMonolith,
  type SeedOptions,
  type SeedProgress,
  type SeedSummary,
} from "./seed/seed-monolith";
