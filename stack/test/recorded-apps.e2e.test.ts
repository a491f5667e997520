import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadStackConfig, type StackConfig } from "../src/config/stack-config";
import { isPortFree } from "../src/process/port-check";
import { isProcessAlive } from "../src/process/process-state";
import { readPidFile } from "../src/process/pid-file";
import { componentPidFile } from "../src/config/stack-paths";
import { stackDown, stackStatus, stackUp } from "../src/stack/stack-lifecycle";
import { freeLoopbackPort } from "../src/testing/unleash-test-process";

// A managed app started from one version of the config must still be stopped by `down` after the
// config stops naming it, or stops loading at all: nothing is left behind.
const SERVER = "require('http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1')";

describe("managed apps the config no longer names (e2e, real processes)", () => {
  let dir: string;
  let config: StackConfig;
  let port: number;
  const configText = (legacy: string) =>
    [
      "version: 1",
      `legacy: ${legacy}`,
      "unleash: { url: 'http://127.0.0.1:1' }",
      "services:",
      "  - { name: api, url: 'http://127.0.0.1:2', routes: {} }",
    ].join("\n");

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-strays-"));
    port = await freeLoopbackPort();
    const file = path.join(dir, "strangler.config.yaml");
    fs.writeFileSync(
      file,
      configText(
        `{ name: shop, url: 'http://127.0.0.1:${port}', run: { command: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(SERVER)}], health: / } }`,
      ),
    );
    config = {
      ...loadStackConfig({ STRANGLER_HOME: path.join(dir, "home"), STRANGLER_PG_PORT: "1" }),
      migrationConfigPath: file,
    };
    await stackUp(config, { only: ["shop"] });
  }, 60_000);

  afterEach(async () => {
    const pid = readPidFile(componentPidFile(config.home, "shop"));
    if (pid !== null && isProcessAlive(pid)) process.kill(-pid, "SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("warns in status and stops it with down once the app left the config", async () => {
    const pid = readPidFile(componentPidFile(config.home, "shop"));
    expect(pid !== null && isProcessAlive(pid)).toBe(true);
    fs.writeFileSync(config.migrationConfigPath, configText(`{ name: other, url: 'http://127.0.0.1:${port}' }`));
    const { warnings } = await stackStatus(config);
    expect(warnings).toContain(
      "shop still runs but the migration config no longer names it: `npm run stack -- down` stops it",
    );
    expect(await stackDown(config, { only: ["shop"] })).toEqual({ shop: "stopped" });
    expect(isProcessAlive(pid as number)).toBe(false);
    // The app's port is released when its last process has exited, which can trail the group
    // leader's exit by a moment on a loaded machine.
    let free = await isPortFree("127.0.0.1", port);
    for (let i = 0; i < 50 && !free; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      free = await isPortFree("127.0.0.1", port);
    }
    expect(free).toBe(true);
    expect((await stackStatus(config)).warnings.filter((warning) => warning.includes("shop"))).toEqual([]);
  }, 60_000);

  it("stops it with down when the config no longer loads", async () => {
    const pid = readPidFile(componentPidFile(config.home, "shop"));
    fs.writeFileSync(config.migrationConfigPath, "version: 1\nlegacy: [not, a, map]\n");
    expect(await stackDown(config, { only: ["shop"] })).toEqual({ shop: "stopped" });
    expect(isProcessAlive(pid as number)).toBe(false);
  }, 60_000);
});
