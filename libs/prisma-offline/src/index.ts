export { createMigrationAdapter } from "./migration-adapter";
export { offlinePrismaConfig } from "./offline-prisma-config";
export { runPrismaCli, type PrismaCliResult } from "./run-prisma-cli";
