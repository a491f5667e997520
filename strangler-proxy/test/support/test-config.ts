import { parseMigrationConfig, type MigrationConfig } from "@strangler/migration-config";

export interface TestConfigOptions {
  monolithUrl: string;
  usersServiceUrl: string;
  unleashUrl?: string;
  /** unleash.refreshIntervalMs; the example config's 500 by default. */
  refreshIntervalMs?: number;
  /** Ports of the proxy and its admin API; 0 (a free port) by default. */
  proxyPort?: number;
  adminPort?: number;
  /** YAML lines added to the proxy: section (indented by the caller's two spaces), e.g. `trustedProxies: [127.0.0.1]`. */
  proxyExtra?: string[];
  /** toolkit.database: the PostgreSQL URL shadow results are written to and reported from (none by default). */
  toolkitDatabase?: string;
}

/** The YAML text of a migration config like the example's, with the given upstreams. */
export function testConfigYaml(options: TestConfigOptions): string {
  const extra = options.proxyExtra ?? [];
  const has = (key: string) => extra.some((line) => line.startsWith(`${key}:`));
  return [
    "version: 1",
    "legacy:",
    "  name: monolith",
    `  url: ${options.monolithUrl}`,
    "proxy:",
    `  listen: { host: 127.0.0.1, port: ${options.proxyPort ?? 0} }`,
    `  admin: { host: 127.0.0.1, port: ${options.adminPort ?? 0} }`,
    "  identity:",
    "    userId: [{ header: x-user-id }, { cookie: uid }, { jwtClaim: sub }]",
    "    sessionId: [{ cookie: sid }, { header: x-session-id }]",
    ...(has("timeouts") ? [] : ["  timeouts: { connectMs: 500, responseMs: 1500 }"]),
    ...(has("breaker") ? [] : ["  breaker: { failureThreshold: 3, openMs: 1000 }"]),
    ...extra.map((line) => `  ${line}`),
    "unleash:",
    `  url: ${options.unleashUrl ?? "http://127.0.0.1:9"}`,
    `  refreshIntervalMs: ${options.refreshIntervalMs ?? 500}`,
    "services:",
    "  - name: users-service",
    `    url: ${options.usersServiceUrl}`,
    "    routes:",
    "      reads:",
    "        - { id: users-list, methods: [GET, HEAD], path: /api/users }",
    "        - { id: users-get, methods: [GET, HEAD], path: /api/users/:id }",
    "      writes:",
    "        - { id: users-create, methods: [POST], path: /api/users }",
    "        - { id: users-update, methods: [PATCH], path: /api/users/:id }",
    "        - { id: users-delete, methods: [DELETE], path: /api/users/:id }",
    ...(options.toolkitDatabase === undefined
      ? []
      : ["toolkit:", `  database: ${JSON.stringify(options.toolkitDatabase)}`]),
  ].join("\n");
}

/** testConfigYaml, parsed and validated; both proxy ports at 0 (free ports) unless given. */
export function testMigrationConfig(options: TestConfigOptions): MigrationConfig {
  return parseMigrationConfig(testConfigYaml(options), "test-config.yaml", {});
}

/** The admin token the tests use. */
export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";
