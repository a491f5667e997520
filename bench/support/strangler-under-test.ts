// Variant (c): the real strangler-proxy, in its own process, with a route matched and its flag
// evaluated by the real unleash-client on every request. The flags come from a backup file (the
// serve flag of users-list on at 100 %, so every request takes the service path), and no Unleash
// server runs: that keeps Unleash's own CPU use out of the measurement.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseMigrationConfig, serveFlagName } from "@strangler/migration-config";
import { createProxy, createProxyLogger, createUnleashFlagSource } from "../../strangler-proxy/src";

const upstream = `http://127.0.0.1:${Number(process.argv[2])}`;
const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-bench-"));
const appName = "strangler-bench";
const flag = {
  name: serveFlagName("users-list"),
  enabled: true,
  project: "default",
  type: "release",
  stale: false,
  impressionData: false,
  strategies: [
    {
      name: "flexibleRollout",
      constraints: [],
      parameters: { rollout: "100", stickiness: "default", groupId: serveFlagName("users-list") },
    },
  ],
};
fs.writeFileSync(
  path.join(backupDir, `unleash-backup-${appName}.json`),
  JSON.stringify({ version: 2, features: [flag] }),
);

const migration = parseMigrationConfig(
  `version: 1
legacy: { url: "${upstream}" }
proxy: { listen: { port: 0 }, admin: { port: 0 } }
unleash: { url: "http://127.0.0.1:9", appName: ${appName}, refreshIntervalMs: 3600000 }
services:
  - name: users-service
    url: "${upstream}"
    routes:
      reads: [{ id: users-list, methods: [GET, HEAD], path: /api/users }]
`,
  "bench config",
  {},
);
const logger = createProxyLogger(process.env.LOG_LEVEL ?? "warn");
const flags = createUnleashFlagSource(
  {
    url: migration.unleash.url,
    appName,
    environment: "development",
    project: "default",
    refreshIntervalMs: migration.unleash.refreshIntervalMs,
    clientToken: "bench",
    backupDir,
  },
  { logger },
);
const proxy = createProxy({ migration, adminToken: "bench-admin-token-0123456789" }, { flags, logger });
void proxy.listen().then(({ proxyUrl }) => {
  process.stdout.write(`${JSON.stringify({ port: Number(new URL(proxyUrl).port) })}\n`);
});
process.on("SIGTERM", () => {
  void proxy.close(1000).finally(() => {
    void flags.close();
    fs.rmSync(backupDir, { recursive: true, force: true });
    process.exit(0);
  });
});
