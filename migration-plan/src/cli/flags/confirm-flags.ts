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
  // One wait per distinct target (not per route): each poll reads the routing table once for all its routes.
  const byTarget = new Map<string, { serve: number; shadow: number; routeIds: string[] }>();
  for (const t of targets) {
    const key = `${t.serve}/${t.shadow}`;
    const group = byTarget.get(key) ?? { serve: t.serve, shadow: t.shadow, routeIds: [] };
    group.routeIds.push(t.routeId);
    byTarget.set(key, group);
  }
  const pending = new Map<string, string>();
  for (const group of byTarget.values()) {
    const confirmation = await waitForProxy({
      read,
      routeIds: group.routeIds,
      target: { serve: group.serve, shadow: group.shadow },
      timeoutMs,
    });
    for (const [routeId, why] of confirmation.pending) pending.set(routeId, why);
  }
  return pending;
}
