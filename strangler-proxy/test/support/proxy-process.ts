import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freeLoopbackPort } from "@strangler/stack";
import { waitFor } from "./fake-unleash-server";
import { httpRequest } from "./http-request";
import { TEST_ADMIN_TOKEN, testConfigYaml, type TestConfigOptions } from "./test-config";

const MAIN = path.join(__dirname, "..", "..", "src", "main.ts");

/** The proxy process (supervisor and workers) as the stack runs it, on free ports. */
export interface ProxyProcess {
  proc: ChildProcess;
  proxyUrl: string;
  adminUrl: string;
  configFile: string;
  /** Its JSON log lines so far. */
  lines(): Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  /** SIGKILL to the supervisor's process group, if it still runs (for afterAll). */
  kill(): void;
}

/** Starts `node --import tsx strangler-proxy/src/main.ts` with a config like the example's and waits until /readyz answers 200. */
export async function startProxyProcess(
  dir: string,
  options: Omit<TestConfigOptions, "proxyPort" | "adminPort"> & { unleashToken: string },
): Promise<ProxyProcess> {
  const [proxyPort, adminPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  const configFile = path.join(dir, "strangler.config.yaml");
  fs.writeFileSync(configFile, testConfigYaml({ ...options, proxyPort, adminPort }));
  let stdout = "";
  // Its own process group, as the stack starts it: kill() reaches the workers too.
  const proc = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: {
      PATH: process.env.PATH,
      STRANGLER_CONFIG: configFile,
      STRANGLER_UNLEASH_CLIENT_TOKEN: options.unleashToken,
      STRANGLER_PROXY_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      STRANGLER_PROXY_BACKUP_DIR: path.join(dir, "backup"),
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  proc.stdout?.on("data", (data: Buffer) => (stdout += data.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  const kill = () => {
    try {
      if (proc.pid) process.kill(-proc.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  try {
    await waitFor(
      async () => (await httpRequest(adminUrl, { path: "/readyz" }).catch(() => undefined))?.status === 200,
      60_000,
      "the proxy to be ready",
    );
  } catch (error) {
    kill();
    throw error;
  }
  return {
    proc,
    proxyUrl: `http://127.0.0.1:${proxyPort}`,
    adminUrl,
    configFile,
    lines: () =>
      stdout
        .split("\n")
        .slice(0, -1)
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    exited,
    kill,
  };
}
