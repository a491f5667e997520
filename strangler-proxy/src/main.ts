import { loadProxySettings } from "./config/proxy-settings";
import { createProxy } from "./create-proxy";
import { SHUTDOWN_GRACE } from "./defaults";
import { createUnleashFlagSource } from "./flags/unleash-flag-source";
import { createProxyLogger } from "./logging/create-logger";

/** The proxy process: `node --import tsx strangler-proxy/src/main.ts`. Stops cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const settings = loadProxySettings();
  const logger = createProxyLogger(settings.logLevel);
  const { unleash } = settings.migration;
  const flags = createUnleashFlagSource(
    {
      url: unleash.url,
      appName: unleash.appName,
      environment: unleash.environment,
      project: unleash.project,
      refreshIntervalMs: unleash.refreshIntervalMs,
      clientToken: settings.unleashClientToken,
      backupDir: settings.backupDir,
    },
    { logger },
  );
  const proxy = createProxy({ migration: settings.migration, adminToken: settings.adminToken }, { flags, logger });
  await proxy.listen();
  logger.info({ config: settings.configPath, backupDir: settings.backupDir }, "strangler proxy started");

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining in-flight requests");
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE + 2_000);
    force.unref();
    proxy
      .close(SHUTDOWN_GRACE)
      .then(() => flags.close())
      .then(() => {
        logger.info("stopped");
        logger.flush(() => process.exit(0));
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        logger.flush(() => process.exit(1));
      });
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  // Before the logger exists (bad settings or config) the reason goes to stderr as plain text.
  process.stderr.write(`strangler-proxy: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
