import { type MigrationConfig } from "@strangler/migration-config";
import { listenUrl } from "../listen-url";
import { createProxyRoutesReader } from "./proxy-admin-client";
import { waitForProxy } from "./proxy-confirmation";

/**
 * Waits until the proxy shows each route's flag targets; resolves with the routes it did not
 * confirm, each with why (empty: all confirmed).
 */
export async function confirmFlagsOnProxies(
  config: MigrationConfig,
  proxyAdminToken: () => string,
  targets: ReadonlyArray<{ routeId: string; serve: number; shadow: number }>,
  timeoutMs: number,
): Promise<Map<string, string>> {
  const read = createProxyRoutesReader({
    adminUrl: listenUrl(config.proxy.admin.host, config.proxy.admin.port),
    token: proxyAdminToken,
  });
  const pending = new Map<string, string>();
  for (const target of targets) {
    const confirmation = await waitForProxy({
      read,
      routeIds: [target.routeId],
      target: { serve: target.serve, shadow: target.shadow },
      timeoutMs,
    });
    for (const [routeId, why] of confirmation.pending) pending.set(routeId, why);
  }
  return pending;
}
