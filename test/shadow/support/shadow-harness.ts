import { parseMigrationConfig, type MigrationConfig } from "@strangler/migration-config";
import { collectDiffReport, type DiffReportRequest } from "@strangler/migration-plan";
import type { DiffReport } from "@strangler/ops-contract";
import { createFakeFlagSource, createProxy, type FakeFlagSource, type Proxy } from "@strangler/proxy";
import { createEmptyTestDatabase, type TestDatabase } from "../../../stack/src/testing/test-database";

/** The admin token of the shadow tests' proxies. */
export const SHADOW_ADMIN_TOKEN = "shadow-test-admin-token-0123456789";
/** How long a test waits for the proxy's batched results to reach the toolkit database. */
const REPORT_DEADLINE_MS = 30_000;
const REPORT_POLL_MS = 200;

export interface ShadowConfigOptions {
  legacyUrl: string;
  toolkitDatabase: string;
  /** YAML of the services list items, indented by four spaces under `services:` (each starts with `  - name:`). */
  services: string[];
  /** Lines under proxy.shadow, e.g. `noiseSample: 1`. */
  shadow?: string[];
}

/** A migration config for a shadow test: neutral apps, ports 0, the given toolkit database. */
export function shadowConfigYaml(options: ShadowConfigOptions): string {
  return [
    "version: 1",
    "legacy:",
    "  name: legacy-app",
    `  url: ${options.legacyUrl}`,
    "proxy:",
    "  listen: { host: 127.0.0.1, port: 0 }",
    "  admin: { host: 127.0.0.1, port: 0 }",
    "  identity:",
    "    userId: [{ header: x-user-id }]",
    "    sessionId: [{ header: x-session-id }]",
    "  timeouts: { connectMs: 1000, responseMs: 5000 }",
    "  shadow:",
    ...["timeoutMs: 5000", ...(options.shadow ?? [])].map((line) => `    ${line}`),
    "unleash:",
    "  url: http://127.0.0.1:9",
    "services:",
    ...options.services,
    "toolkit:",
    `  database: ${options.toolkitDatabase}`,
  ].join("\n");
}

/** A proxy with shadow results going to a toolkit database of its own, and flags the test sets. */
export interface ShadowHarness {
  migration: MigrationConfig;
  proxy: Proxy;
  proxyUrl: string;
  adminUrl: string;
  flags: FakeFlagSource;
  toolkit: TestDatabase;
  /** The report as `strangler diff report --json` reads it (the CLI's code, the real store). */
  report(request?: Partial<DiffReportRequest>): Promise<DiffReport>;
  /** Polls the report until `done` holds (the proxy writes results in batches), else fails with the last one. */
  waitForReport(done: (report: DiffReport) => boolean, request?: Partial<DiffReportRequest>): Promise<DiffReport>;
  close(): Promise<void>;
}

/** A toolkit database for one test file (empty: the store creates its tables). */
export function createToolkitTestDatabase(): Promise<TestDatabase> {
  return createEmptyTestDatabase("toolkit");
}

/** Starts the proxy of `config(toolkitDatabaseUrl)` with shadow results in a fresh toolkit database. */
export async function startShadowHarness(
  config: (toolkitDatabase: string) => string,
  flags: Record<string, { enabled: boolean; rollout?: number }>,
): Promise<ShadowHarness> {
  const toolkit = await createToolkitTestDatabase();
  let proxy: Proxy | undefined;
  try {
    const migration = parseMigrationConfig(config(toolkit.url), "shadow-test.yaml", {});
    const flagSource = createFakeFlagSource(flags);
    proxy = createProxy({ migration, adminToken: SHADOW_ADMIN_TOKEN }, { flags: flagSource });
    const { proxyUrl, adminUrl } = await proxy.listen();
    const report = (request: Partial<DiffReportRequest> = {}) =>
      collectDiffReport(migration, "shadow-test.yaml", { since: "1h", ...request });
    const started = proxy;
    return {
      migration,
      proxy: started,
      proxyUrl,
      adminUrl,
      flags: flagSource,
      toolkit,
      report,
      async waitForReport(done, request) {
        const deadline = Date.now() + REPORT_DEADLINE_MS;
        for (;;) {
          const current = await report(request);
          if (done(current)) return current;
          if (Date.now() > deadline)
            throw new Error(`the diff report did not get there in time; last: ${JSON.stringify(current, null, 2)}`);
          await new Promise((resolve) => setTimeout(resolve, REPORT_POLL_MS));
        }
      },
      async close() {
        await started.close(0);
        await toolkit.drop();
      },
    };
  } catch (error) {
    await proxy?.close(0).catch(() => undefined);
    await toolkit.drop().catch(() => undefined);
    throw error;
  }
}

/** Sends a request through the proxy and returns its status (the shadow tests check the results, not the bodies). */
export async function send(
  proxyUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; userId?: string } = {},
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${proxyUrl}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...(options.userId ? { "x-user-id": options.userId } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as unknown) : null };
}

/** GET on the proxy's admin API with the token; the parsed JSON and status. */
export async function adminGet(adminUrl: string, path: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${adminUrl}${path}`, { headers: { authorization: `Bearer ${SHADOW_ADMIN_TOKEN}` } });
  return { status: response.status, json: (await response.json()) as unknown };
}
