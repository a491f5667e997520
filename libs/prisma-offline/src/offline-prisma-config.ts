import path from "node:path";
import { createMigrationAdapter } from "./migration-adapter";

export interface OfflinePrismaConfigOptions {
  /** Folder of the app that owns the schema (holds `prisma/schema.prisma`). */
  appDir: string;
}

/** The Prisma CLI configuration every app uses: js schema engine over adapter-pg, no downloads. */
export function offlinePrismaConfig(options: OfflinePrismaConfigOptions) {
  return {
    experimental: { adapter: true },
    engine: "js" as const,
    schema: path.join(options.appDir, "prisma", "schema.prisma"),
    async adapter() {
      const url = process.env.DATABASE_URL;
      if (!url) {
        throw new Error(`DATABASE_URL is not set: the Prisma CLI for ${options.appDir} needs the database it migrates`);
      }
      return createMigrationAdapter(url);
    },
  };
}
