import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freeLoopbackPort } from "@strangler/stack";
import { startEchoUpstream, type EchoUpstream } from "./support/echo-upstream";
import { startFakeUnleashServer, waitFor, type FakeUnleashServer } from "./support/fake-unleash-server";
import { httpRequest } from "./support/http-request";
import { TEST_ADMIN_TOKEN, testConfigYaml } from "./support/test-config";

const MAIN = path.join(__dirname, "..", "src", "main.ts");

// The proxy as the stack runs it: `node --import tsx strangler-proxy/src/main.ts` with its environment.
describe("strangler-proxy main (process: supervisor and workers)", () => {
  let monolith: EchoUpstream | undefined;
  let service: EchoUpstream | undefined;
  let unleash: FakeUnleashServer | undefined;
  let child: ChildProcess | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-proxy-main-"));

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await Promise.all([monolith?.close(), service?.close(), unleash?.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses to start without an admin token, naming the variable", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", MAIN], {
      env: { PATH: process.env.PATH, STRANGLER_UNLEASH_CLIENT_TOKEN: "x" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("STRANGLER_PROXY_ADMIN_TOKEN is required");
  });

  it("starts from the environment, routes by the Unleash flags, logs each request, and stops cleanly on SIGTERM", async () => {
    monolith = await startEchoUpstream("monolith");
    service = await startEchoUpstream("users-service");
    unleash = await startFakeUnleashServer();
    unleash.setFeatures([{ name: "strangler.users-list.serve", enabled: true, rollout: 100 }]);
    const [proxyPort, adminPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
    const configFile = path.join(dir, "strangler.config.yaml");
    fs.writeFileSync(
      configFile,
      testConfigYaml({
        monolithUrl: monolith.url,
        usersServiceUrl: service.url,
        unleashUrl: unleash.url,
        proxyPort,
        adminPort,
      }),
    );

    let stdout = "";
    const proc = spawn(process.execPath, ["--import", "tsx", MAIN], {
      env: {
        PATH: process.env.PATH,
        STRANGLER_CONFIG: configFile,
        STRANGLER_UNLEASH_CLIENT_TOKEN: unleash.token,
        STRANGLER_PROXY_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        STRANGLER_PROXY_BACKUP_DIR: path.join(dir, "backup"),
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    proc.stdout?.on("data", (data: Buffer) => (stdout += data.toString()));
    const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
    const proxyUrl = `http://127.0.0.1:${proxyPort}`;
    const adminUrl = `http://127.0.0.1:${adminPort}`;

    await waitFor(
      async () => (await httpRequest(adminUrl, { path: "/readyz" }).catch(() => undefined))?.status === 200,
      20_000,
      "the proxy to be ready",
    );
    await waitFor(
      () => fs.existsSync(path.join(dir, "backup", "unleash-backup-strangler-proxy.json")),
      5_000,
      "the first flag sync",
    );
    const res = await httpRequest(proxyUrl, {
      path: "/api/users",
      headers: { "x-user-id": "main-user", "x-request-id": "main-test-1" },
    });
    expect(res.headers).toMatchObject({ "x-strangler-backend": "users-service", "x-strangler-route": "users-list" });

    proc.kill("SIGTERM");
    expect(await exited).toBe(0);
    const lines = stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line.requestId === "main-test-1")).toMatchObject({
      msg: "request",
      method: "GET",
      path: "/api/users",
      route: "users-list",
      backend: "users-service",
      decision: "flag-on",
      status: 200,
      durationMs: expect.any(Number),
    });
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining([
        "strangler proxy started",
        "worker listening",
        "shutting down: draining in-flight requests",
        "drained",
        "stopped",
      ]),
    );
    // The supervisor and each worker say who they are.
    expect(lines.find((line) => line.msg === "stopped")).toMatchObject({ role: "supervisor" });
    expect(lines.find((line) => line.requestId === "main-test-1")?.worker).toEqual(expect.any(Number));
  });
});
