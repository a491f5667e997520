// Variant (e): the strangler-proxy process as the stack runs it (`node --import tsx
// strangler-proxy/src/main.ts`): a supervisor and its workers (proxy.workers: auto, one per core),
// flags from a backup file as in (c). Prints {"port": N} once /readyz answers; SIGTERM stops it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { serveFlagName } from "@strangler/migration-config";

const upstream = `http://127.0.0.1:${Number(process.argv[2])}`;
const root = path.resolve(__dirname, "..", "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-bench-workers-"));
const appName = "strangler-bench";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

function ready(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    http
      .get(url, { agent: false }, (res) => resolve(res.resume() && res.statusCode === 200))
      .on("error", () => resolve(false));
  });
}

async function main(): Promise<void> {
  const [port, adminPort] = [await freePort(), await freePort()];
  const flag = serveFlagName("users-list");
  const strategy = {
    name: "flexibleRollout",
    constraints: [],
    parameters: { rollout: "100", stickiness: "default", groupId: flag },
  };
  fs.writeFileSync(
    path.join(dir, `unleash-backup-${appName}.json`),
    JSON.stringify({
      version: 2,
      features: [
        {
          name: flag,
          enabled: true,
          project: "default",
          type: "release",
          stale: false,
          impressionData: false,
          strategies: [strategy],
        },
      ],
    }),
  );
  fs.writeFileSync(
    path.join(dir, "strangler.config.yaml"),
    `version: 1
legacy: { url: "${upstream}" }
proxy: { listen: { port: ${port} }, admin: { port: ${adminPort} }, workers: auto }
unleash: { url: "http://127.0.0.1:9", appName: ${appName}, refreshIntervalMs: 3600000 }
services:
  - name: users-service
    url: "${upstream}"
    routes:
      reads: [{ id: users-list, methods: [GET, HEAD], path: /api/users }]
`,
  );
  // The watchdog ends the proxy if this wrapper is killed outright.
  const watchdog = path.join(root, "stack", "src", "testing", "parent-watchdog.cjs");
  const child = spawn(
    process.execPath,
    ["--require", watchdog, "--import", "tsx", path.join(root, "strangler-proxy", "src", "main.ts")],
    {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        PATH: process.env.PATH,
        STRANGLER_CONFIG: path.join(dir, "strangler.config.yaml"),
        STRANGLER_UNLEASH_CLIENT_TOKEN: "bench",
        STRANGLER_PROXY_ADMIN_TOKEN: "bench-admin-token-0123456789",
        STRANGLER_PROXY_BACKUP_DIR: dir,
        LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      },
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.on("SIGTERM", () => {
    child.kill("SIGTERM");
    void exited.then(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
  for (let i = 0; !(await ready(`http://127.0.0.1:${adminPort}/readyz`)); i++) {
    if (child.exitCode !== null || i > 600) throw new Error("strangler-proxy (workers) did not get ready");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.stdout.write(`${JSON.stringify({ port, workers: os.availableParallelism() })}\n`);
}

void main();
