import { createProxy, type Proxy } from "../../src/create-proxy";
import { createFakeFlagSource, type FakeFlagSource } from "../../src/flags/fake-flag-source";
import { startEchoUpstream, type EchoUpstream } from "./echo-upstream";
import { TEST_ADMIN_TOKEN, testMigrationConfig } from "./test-config";

/** A proxy in front of two fixture upstreams (monolith, users-service), with flags a test sets. */
export interface ProxyHarness {
  proxy: Proxy;
  proxyUrl: string;
  adminUrl: string;
  monolith: EchoUpstream;
  service: EchoUpstream;
  flags: FakeFlagSource;
  close(): Promise<void>;
}

/** Every users route flag on at 100 %: the service takes all its routes. */
export const ALL_ROUTES_ON = Object.fromEntries(
  ["users-list", "users-get", "users-create", "users-update", "users-delete"].map((id) => [
    `strangler.${id}.serve`,
    { enabled: true, rollout: 100 },
  ]),
);

export async function startProxyHarness(
  options: { flags?: FakeFlagSource; proxyExtra?: string[] } = {},
): Promise<ProxyHarness> {
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    const monolith = await startEchoUpstream("monolith");
    started.push(monolith);
    const service = await startEchoUpstream("users-service");
    started.push(service);
    const flags = options.flags ?? createFakeFlagSource(ALL_ROUTES_ON);
    const proxy = createProxy(
      {
        migration: testMigrationConfig({
          monolithUrl: monolith.url,
          usersServiceUrl: service.url,
          proxyExtra: options.proxyExtra,
        }),
        adminToken: TEST_ADMIN_TOKEN,
      },
      { flags },
    );
    started.push({ close: () => proxy.close(0) });
    const { proxyUrl, adminUrl } = await proxy.listen();
    return {
      proxy,
      proxyUrl,
      adminUrl,
      monolith,
      service,
      flags,
      close: async () => {
        await proxy.close(0);
        await Promise.all([monolith.close(), service.close()]);
      },
    };
  } catch (error) {
    await Promise.all(started.map((s) => s.close().catch(() => undefined)));
    throw error;
  }
}
