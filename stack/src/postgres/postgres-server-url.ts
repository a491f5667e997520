import type { StackConfig } from "../config/stack-config";
import { PG_LISTEN_ADDRESS, PG_SUPERUSER } from "../defaults";

/** Superuser URL of the server the stack uses (its own cluster or STRANGLER_PG_URL), on database `postgres`. */
export function adminDatabaseUrl(config: StackConfig): string {
  if (config.postgres.kind === "external") return config.postgres.url;
  return `postgresql://${PG_SUPERUSER}@${PG_LISTEN_ADDRESS}:${config.postgres.port}/postgres`;
}
