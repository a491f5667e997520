import http from "node:http";
import type { AddressInfo } from "node:net";
import type { CompiledRoute } from "@strangler/migration-config";
import type { ProxyFlagView, ProxyRoutingReport } from "@strangler/ops-contract";
import type { UnleashAdmin } from "@strangler/unleash-admin";

/**
 * A stand-in for the proxy's admin API (GET /admin/routes, bearer token) that serves the
 * documented routing table from the real Unleash state, re-read at most every `syncIntervalMs`
 * like unleash-client polling. `freeze()` stops syncing: the "proxy" keeps reporting old flags.
 */
export interface FakeProxyAdmin {
  url: string;
  port: number;
  freeze(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startFakeProxyAdmin(options: {
  token: string;
  admin: UnleashAdmin;
  routes: readonly CompiledRoute[];
  syncIntervalMs?: number;
}): Promise<FakeProxyAdmin> {
  const syncInterval = options.syncIntervalMs ?? 300;
  let frozen = false;
  let lastSync = 0;
  let snapshot: Awaited<ReturnType<UnleashAdmin["listRouteFlags"]>> = await options.admin.listRouteFlags(
    options.routes,
  );

  // The operations contract's document, as the real proxy serves it.
  const body = (): ProxyRoutingReport => ({
    flags: {
      source: "unleash",
      lastSyncAt: new Date(lastSync).toISOString(),
      ageSeconds: (Date.now() - lastSync) / 1000,
    },
    routes: options.routes.map((route, index) => {
      const state = snapshot[index];
      const view = (
        flag: { flag: string; enabled: boolean; rollout: number | null } | undefined,
        name: string,
      ): ProxyFlagView => ({
        flag: name,
        enabled: flag?.enabled ?? false,
        rollout: flag?.rollout ?? null,
      });
      return {
        id: route.id,
        service: route.service,
        kind: route.kind,
        methods: [...route.methods],
        path: route.pattern.source,
        serve: view(state?.serve, route.serveFlag),
        shadow: view(state?.shadow, route.shadowFlag),
        backend: { url: route.serviceUrl, healthy: true },
        breaker: { state: "closed", failures: 0 },
      };
    }),
  });

  const server = http.createServer((request, response) => {
    void (async () => {
      if (request.url !== "/admin/routes") return response.writeHead(404).end();
      if (request.headers.authorization !== `Bearer ${options.token}`)
        return response.writeHead(401, { "content-type": "application/json" }).end('{"error":"unauthorized"}');
      if (!frozen && Date.now() - lastSync >= syncInterval) {
        snapshot = await options.admin.listRouteFlags(options.routes);
        lastSync = Date.now();
      }
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body()));
    })().catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  lastSync = Date.now();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    freeze: () => void (frozen = true),
    resume: () => void (frozen = false),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
