import type { MigrationConfig } from "@strangler/migration-config";
import pino from "pino";
import { createProxy, type Proxy } from "../../src/create-proxy";
import type { FlagSource } from "../../src/flags/flag-source";
import { createUnleashFlagSource } from "../../src/flags/unleash-flag-source";
import { TEST_ADMIN_TOKEN } from "./test-config";

/** A proxy reading its flags from a real Unleash through unleash-client, as main.ts wires it. */
export interface UnleashProxy {
  proxy: Proxy;
  flags: FlagSource;
  proxyUrl: string;
  adminUrl: string;
  close(): Promise<void>;
}

export async function startUnleashProxy(options: {
  migration: MigrationConfig;
  clientToken: string;
  backupDir: string;
}): Promise<UnleashProxy> {
  const { unleash } = options.migration;
  const logger = pino({ level: "silent" });
  const flags = createUnleashFlagSource(
    {
      url: unleash.url,
      appName: unleash.appName,
      environment: unleash.environment,
      project: unleash.project,
      refreshIntervalMs: unleash.refreshIntervalMs,
      clientToken: options.clientToken,
      backupDir: options.backupDir,
    },
    { logger },
  );
  const proxy = createProxy({ migration: options.migration, adminToken: TEST_ADMIN_TOKEN }, { flags, logger });
  try {
    const { proxyUrl, adminUrl } = await proxy.listen();
    return {
      proxy,
      flags,
      proxyUrl,
      adminUrl,
      close: async () => {
        await proxy.close(0);
        await flags.close();
      },
    };
  } catch (error) {
    await proxy.close(0);
    await flags.close();
    throw error;
  }
}
