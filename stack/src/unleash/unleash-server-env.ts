import path from "node:path";
import { StackError } from "../errors/stack-error";
import { UNLEASH_LOG_LEVEL } from "../defaults";

/** Absolute path of unleash-server's `dist/server.js`, resolved from the stack package. */
export function unleashServerEntry(repoRoot: string): string {
  let main: string;
  try {
    // The package exports only dist/lib/server-impl.js; its start script is dist/server.js next to lib/.
    main = require.resolve("unleash-server", { paths: [path.join(repoRoot, "stack"), repoRoot] });
  } catch (error) {
    throw new StackError(
      "STACK_BINARY_MISSING",
      `cannot find unleash-server from ${repoRoot}/stack: run \`npm install\` at the repository root`,
      {
        cause: error,
      },
    );
  }
  return path.join(path.dirname(path.dirname(main)), "server.js");
}

export interface UnleashServerSettings {
  databaseUrl: string;
  host: string;
  port: number;
  /** Created on the first start only (Unleash ignores them once its database holds any token). */
  adminToken?: string;
  clientToken?: string;
}

/**
 * Unleash configured through its environment alone: no SSL to the local database, no telemetry or
 * version check calls home, and the installation's tokens created on the first start.
 */
export function unleashServerEnv(settings: UnleashServerSettings): Record<string, string> {
  return {
    DATABASE_URL: settings.databaseUrl,
    DATABASE_SSL: "false",
    HTTP_HOST: settings.host,
    HTTP_PORT: String(settings.port),
    LOG_LEVEL: UNLEASH_LOG_LEVEL,
    SEND_TELEMETRY: "false",
    CHECK_VERSION: "false",
    ...(settings.adminToken ? { INIT_ADMIN_API_TOKENS: settings.adminToken } : {}),
    // Unleash 7 reads INIT_BACKEND_API_TOKENS and still accepts the older INIT_CLIENT_API_TOKENS.
    ...(settings.clientToken
      ? { INIT_CLIENT_API_TOKENS: settings.clientToken, INIT_BACKEND_API_TOKENS: settings.clientToken }
      : {}),
  };
}
