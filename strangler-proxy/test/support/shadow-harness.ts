import { parseMigrationConfig } from "@strangler/migration-config";
import { createProxy, type Proxy } from "../../src/create-proxy";
import { createFakeFlagSource, type FakeFlagSource } from "../../src/flags/fake-flag-source";
import { createRecordingShadowSink, type RecordingShadowSink } from "./recording-shadow-sink";
import { startShadowFixtureApp, type ShadowFixtureApp } from "./shadow-fixture-app";
import { TEST_ADMIN_TOKEN } from "./test-config";

/**
 * A proxy in front of three neutral fixture apps: `legacy-app`; `catalog-service` (dryRun: true),
 * which takes items-get (answered at /v2/things/:id), items-list and items-create; `ledger-service`
 * (no dry-run), which takes entries-get and entries-create. Shadow results go to a recording sink.
 */
export interface ShadowHarness {
  proxy: Proxy;
  proxyUrl: string;
  adminUrl: string;
  legacy: ShadowFixtureApp;
  catalog: ShadowFixtureApp;
  ledger: ShadowFixtureApp;
  flags: FakeFlagSource;
  sink: RecordingShadowSink;
  close(): Promise<void>;
}

export interface ShadowHarnessOptions {
  /** YAML of proxy.shadow, e.g. `{ timeoutMs: 500 }`. */
  shadow?: string;
  /** A URL instead of the catalog app's (a candidate that is down). */
  catalogUrl?: string;
  /** false: the sink counts exchanges without keeping them. */
  keepExchanges?: boolean;
}

/** The flag names of a route. */
export const serveFlag = (route: string) => `strangler.${route}.serve`;
export const shadowFlag = (route: string) => `strangler.${route}.shadow`;

function configYaml(legacy: string, catalog: string, ledger: string, shadow: string): string {
  return [
    "version: 1",
    "legacy:",
    "  name: legacy-app",
    `  url: ${legacy}`,
    "proxy:",
    "  listen: { host: 127.0.0.1, port: 0 }",
    "  admin: { host: 127.0.0.1, port: 0 }",
    "  identity:",
    "    userId: [{ header: x-user-id }]",
    "  timeouts: { connectMs: 500, responseMs: 5000 }",
    `  shadow: ${shadow}`,
    "unleash:",
    "  url: http://127.0.0.1:9",
    "services:",
    "  - name: catalog-service",
    `    url: ${catalog}`,
    "    dryRun: true",
    "    routes:",
    "      reads:",
    "        - { id: items-get, methods: [GET, HEAD], path: /api/items/:id, servicePath: /v2/things/:id }",
    "        - { id: items-list, methods: [GET], path: /api/items }",
    "      writes:",
    "        - { id: items-create, methods: [POST], path: /api/items }",
    "  - name: ledger-service",
    `    url: ${ledger}`,
    "    routes:",
    "      reads:",
    "        - { id: entries-get, methods: [GET], path: /api/entries/:id }",
    "      writes:",
    "        - { id: entries-create, methods: [POST], path: /api/entries }",
  ].join("\n");
}

/** Starts the fixture apps and the proxy (flags all off until the test sets them). */
export async function startShadowHarness(options: ShadowHarnessOptions = {}): Promise<ShadowHarness> {
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    const legacy = await startShadowFixtureApp("legacy-app");
    started.push(legacy);
    const catalog = await startShadowFixtureApp("catalog-service");
    started.push(catalog);
    const ledger = await startShadowFixtureApp("ledger-service");
    started.push(ledger);
    const flags = createFakeFlagSource();
    const sink = createRecordingShadowSink(options.keepExchanges ?? true);
    const migration = parseMigrationConfig(
      configYaml(legacy.url, options.catalogUrl ?? catalog.url, ledger.url, options.shadow ?? "{}"),
      "shadow-test.yaml",
      {},
    );
    const proxy = createProxy({ migration, adminToken: TEST_ADMIN_TOKEN }, { flags, shadowSink: sink });
    started.push({ close: () => proxy.close(0) });
    const { proxyUrl, adminUrl } = await proxy.listen();
    return {
      proxy,
      proxyUrl,
      adminUrl,
      legacy,
      catalog,
      ledger,
      flags,
      sink,
      close: async () => {
        await proxy.close(0);
        await Promise.all([legacy.close(), catalog.close(), ledger.close()]);
      },
    };
  } catch (error) {
    await Promise.all(started.map((s) => s.close().catch(() => undefined)));
    throw error;
  }
}
