import fs from "node:fs";
import path from "node:path";
import { httpBaseUrl } from "../apps/http-probe";
import { createNodeAppComponent, type NodeAppDefinition } from "../apps/node-app-component";
import { loadStackMigrationConfig, migrationConfigEnv } from "../config/migration-config-env";
import type { StackConfig } from "../config/stack-config";
import { componentLogFile, stackPaths } from "../config/stack-paths";
import { PROXY_LOG_LEVEL } from "../defaults";
import { loadOrCreateStackSecrets, type StackSecrets } from "../secrets/stack-secrets";
import type { Component } from "../stack/component";
import { trackStep } from "../stack/progress";
import { restartProxy } from "./proxy-restart";

interface ProxyEndpoints {
  host: string;
  port: number;
  adminHost: string;
  adminPort: number;
}

/**
 * Where the proxy listens: what the migration config says (it interpolates the stack's
 * STRANGLER_PROXY_PORT / STRANGLER_PROXY_ADMIN_PORT). When the config cannot be read (status or
 * down with a broken file), the stack's own settings.
 */
function proxyEndpoints(config: StackConfig): ProxyEndpoints {
  try {
    const { listen, admin } = loadStackMigrationConfig(config).proxy;
    return { host: listen.host, port: listen.port, adminHost: admin.host, adminPort: admin.port };
  } catch {
    return { host: "127.0.0.1", port: config.proxyPort, adminHost: "127.0.0.1", adminPort: config.proxyAdminPort };
  }
}

/** The proxy's environment contract (see strangler-proxy's settings). */
export function proxyEnv(config: StackConfig, secrets: StackSecrets): Record<string, string> {
  return {
    STRANGLER_CONFIG: config.migrationConfigPath,
    STRANGLER_UNLEASH_CLIENT_TOKEN: secrets.unleashClientToken,
    STRANGLER_PROXY_ADMIN_TOKEN: secrets.proxyAdminToken,
    STRANGLER_PROXY_BACKUP_DIR: stackPaths(config.home).proxyStateDir,
    LOG_LEVEL: PROXY_LOG_LEVEL,
    ...migrationConfigEnv(config),
  };
}

function proxyDefinition(
  config: StackConfig,
  endpoints: ProxyEndpoints,
  secrets: StackSecrets | null,
): NodeAppDefinition {
  const adminUrl = httpBaseUrl(endpoints.adminHost, endpoints.adminPort);
  return {
    name: "proxy",
    appDir: path.join(config.repoRoot, "strangler-proxy"),
    entry: config.proxyEntry,
    host: endpoints.host,
    port: endpoints.port,
    portVariable: "STRANGLER_PROXY_PORT",
    extraPorts: [{ port: endpoints.adminPort, variable: "STRANGLER_PROXY_ADMIN_PORT" }],
    readyUrl: `${adminUrl}/readyz`,
    detail: `admin API ${adminUrl}`,
    env: secrets ? proxyEnv(config, secrets) : {},
  };
}

/** The strangler proxy in front of the apps, reading its flags from the stack's Unleash. */
export function createProxyComponent(config: StackConfig): Component {
  const idle = () => createNodeAppComponent(config, proxyDefinition(config, proxyEndpoints(config), null));
  return {
    name: "proxy",
    async start(progress) {
      if (!fs.existsSync(config.proxyEntry)) {
        // Until strangler-proxy ships its entry point, `up` starts everything else.
        progress({
          kind: "note",
          label: "proxy",
          message: `skipped: ${config.proxyEntry} does not exist (set STRANGLER_PROXY_ENTRY?)`,
        });
        return "skipped";
      }
      const secrets = loadOrCreateStackSecrets(config);
      fs.mkdirSync(stackPaths(config.home).proxyStateDir, { recursive: true, mode: 0o700 });
      const endpoints = proxyEndpoints(config);
      return createNodeAppComponent(config, proxyDefinition(config, endpoints, secrets)).start(progress);
    },
    stop: () => idle().stop(),
    async restart(progress) {
      const status = await idle().status();
      if (status.state !== "running" || status.pid === null) return this.start(progress);
      const pid = status.pid;
      const endpoints = proxyEndpoints(config);
      const token = loadOrCreateStackSecrets(config).proxyAdminToken;
      return trackStep(progress, "proxy", "restarting", async () => {
        const workers = await restartProxy({
          pid,
          adminUrl: httpBaseUrl(endpoints.adminHost, endpoints.adminPort),
          token,
          log: componentLogFile(config.home, "proxy"),
        });
        return `restarted (${workers} worker${workers === 1 ? "" : "s"}, pid ${pid})` as const;
      });
    },
    async status() {
      const status = await idle().status();
      if (status.state === "stopped" && !fs.existsSync(config.proxyEntry))
        return { ...status, detail: `no ${config.proxyEntry}` };
      return status;
    },
  };
}
