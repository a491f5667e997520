import path from "node:path";
import { freeLoopbackPort } from "@strangler/stack";
import { startTsProcess, waitUntilHealthy, type RunningProcess } from "./child-process";

const PROXY_MAIN = path.join(__dirname, "..", "..", "..", "..", "strangler-proxy", "src", "main.ts");

/** The admin token of the proxy the tests start. */
export const PROXY_TEST_ADMIN_TOKEN = "blog-e2e-admin-token-0123456789";

export interface ProxyProcess extends RunningProcess {
  proxyUrl: string;
  adminUrl: string;
}

/**
 * The strangler proxy process (strangler-proxy/src/main.ts) on `configFile`, as a user starts it: the
 * config's `${…}` references are filled from `configEnv`; the proxy and admin ports, named by the
 * config's BLOG_PROXY_PORT / BLOG_PROXY_ADMIN_PORT, are free ones. Waits until /readyz answers.
 */
export async function startProxy(
  configFile: string,
  configEnv: Record<string, string>,
  options: { unleashClientToken: string; backupDir: string },
): Promise<ProxyProcess> {
  const [proxyPort, adminPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  const running = startTsProcess(PROXY_MAIN, {
    ...configEnv,
    BLOG_PROXY_PORT: String(proxyPort),
    BLOG_PROXY_ADMIN_PORT: String(adminPort),
    STRANGLER_CONFIG: configFile,
    STRANGLER_UNLEASH_CLIENT_TOKEN: options.unleashClientToken,
    STRANGLER_PROXY_ADMIN_TOKEN: PROXY_TEST_ADMIN_TOKEN,
    STRANGLER_PROXY_BACKUP_DIR: options.backupDir,
    LOG_LEVEL: "warn",
  });
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  try {
    await waitUntilHealthy(`${adminUrl}/readyz`, running);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return { ...running, proxyUrl: `http://127.0.0.1:${proxyPort}`, adminUrl };
}
