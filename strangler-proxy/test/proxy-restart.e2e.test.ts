import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  freeLoopbackPort,
  isProcessGroupRunning,
  loadOrCreateStackSecrets,
  loadStackConfig,
  type StackStatus,
} from "@strangler/stack";
import { startEchoUpstream, type EchoUpstream } from "./support/echo-upstream";
import { startFakeUnleashServer, type FakeUnleashServer } from "./support/fake-unleash-server";
import { httpRequest } from "./support/http-request";
import { metricValues } from "./support/metrics-text";
import { startReadLoad } from "./support/read-load";

// The proxy run by the stack as a user runs it (`npm run stack -- up proxy`), in front of fixture
// upstreams on the monolith's and the service's ports and a stand-in of Unleash, restarted under a
// read load with the documented command: `npm run stack -- restart proxy`.
const repoRoot = path.resolve(__dirname, "..", "..");
const STEP_TIMEOUT = 180_000;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe("restarting the proxy under load (npm run stack -- restart proxy)", () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-proxy-restart-"));
  let env: NodeJS.ProcessEnv = {};
  let monolith: EchoUpstream | undefined;
  let service: EchoUpstream | undefined;
  let unleash: FakeUnleashServer | undefined;
  let proxyUrl = "";
  let adminUrl = "";
  let token = "";
  let supervisorPid: number | null = null;
  // If this jest worker goes away without its afterAll, the proxy's process group still goes with it.
  const killLeftovers = () => {
    if (supervisorPid === null) return;
    try {
      process.kill(-supervisorPid, "SIGKILL");
    } catch {
      // already gone
    }
  };

  const stack = (...args: string[]): Promise<CliResult> =>
    new Promise((resolve) => {
      execFile(
        path.join(repoRoot, "node_modules", ".bin", "tsx"),
        ["stack/src/cli/stack-cli.ts", ...args],
        { cwd: repoRoot, env, timeout: STEP_TIMEOUT },
        (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
        },
      );
    });
  const status = async (): Promise<StackStatus> => JSON.parse((await stack("status", "--json")).stdout) as StackStatus;
  const health = async () =>
    (await httpRequest(adminUrl, { path: "/admin/health", headers: { authorization: `Bearer ${token}` } })).json as {
      supervisor: { workers: Array<{ pid: number; state: string }> };
    };

  beforeAll(async () => {
    monolith = await startEchoUpstream("monolith");
    service = await startEchoUpstream("users-service");
    const [proxyPort, adminPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
    const base = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      STRANGLER_HOME: home,
      STRANGLER_HOST: "127.0.0.1",
      STRANGLER_MONOLITH_PORT: new URL(monolith.url).port,
      STRANGLER_USERS_SERVICE_PORT: new URL(service.url).port,
      STRANGLER_PROXY_PORT: String(proxyPort),
      STRANGLER_PROXY_ADMIN_PORT: String(adminPort),
    };
    // The stack's own client token, so the stand-in of Unleash accepts the proxy's polls.
    token = loadOrCreateStackSecrets(loadStackConfig(base)).proxyAdminToken;
    unleash = await startFakeUnleashServer(loadOrCreateStackSecrets(loadStackConfig(base)).unleashClientToken);
    unleash.setFeatures([{ name: "strangler.users-list.serve", enabled: true, rollout: 50 }]);
    env = { ...base, STRANGLER_UNLEASH_PORT: new URL(unleash.url).port };
    proxyUrl = `http://127.0.0.1:${proxyPort}`;
    adminUrl = `http://127.0.0.1:${adminPort}`;
    process.once("exit", killLeftovers);
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await stack("down", "proxy");
    killLeftovers();
    process.off("exit", killLeftovers);
    await Promise.all([monolith?.close(), service?.close(), unleash?.close()]);
    fs.rmSync(home, { recursive: true, force: true });
  }, STEP_TIMEOUT);

  it(
    "serves every read while its workers are replaced: no connection refused, no reset, no non-2xx",
    async () => {
      const up = await stack("up", "proxy");
      expect({ code: up.code, stderr: up.stderr }).toEqual({ code: 0, stderr: "" });
      expect(up.stdout).toMatch(/proxy\s+starting… started/);
      supervisorPid = (await status()).components.proxy?.pid ?? null;
      expect(supervisorPid).toEqual(expect.any(Number));
      const workersBefore = (await health()).supervisor.workers.map((w) => w.pid);
      expect(workersBefore.length).toBeGreaterThanOrEqual(1);

      const load = startReadLoad(proxyUrl, {
        connections: 8,
        maxMs: 150_000,
        path: (i) => (i % 2 ? "/api/users" : `/api/users/${i % 97}`),
      });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const restart = await stack("restart", "proxy");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const tally = await load.stop();

      expect({ code: restart.code, stderr: restart.stderr }).toEqual({ code: 0, stderr: "" });
      expect(restart.stdout).toMatch(
        new RegExp(`proxy\\s+restarting… restarted \\(${workersBefore.length} workers?, pid ${supervisorPid}\\)`),
      );
      expect({ errors: tally.errors, non2xx: tally.non2xx, failures: tally.failures }).toEqual({
        errors: 0,
        non2xx: 0,
        failures: {},
      });
      expect(tally.ok).toBe(tally.requests);
      expect(tally.requests).toBeGreaterThan(100);
      // Both backends served: the flags were in the new workers before they took traffic.
      expect(monolith?.received.length).toBeGreaterThan(0);
      expect(service?.received.length).toBeGreaterThan(0);

      // The same supervisor (the pid the stack signals), new workers; no request lost from the counters.
      expect((await status()).components.proxy).toMatchObject({ pid: supervisorPid, healthy: true });
      const workersAfter = (await health()).supervisor.workers;
      expect(workersAfter.every((w) => w.state === "listening" && !workersBefore.includes(w.pid))).toBe(true);
      const metrics = await httpRequest(adminUrl, { path: "/metrics" });
      const counted = metricValues(metrics.body, "strangler_proxy_requests_total").reduce(
        (sum, sample) => sum + sample.value,
        0,
      );
      expect(counted).toBeGreaterThanOrEqual(tally.requests);
    },
    STEP_TIMEOUT,
  );

  it("says which components to restart when none is named", async () => {
    const result = await stack("restart");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("name the components to restart, e.g. `restart proxy`");
  });

  it(
    "stops with `down` and leaves no proxy process behind",
    async () => {
      expect((await stack("down", "proxy")).code).toBe(0);
      expect((await status()).components.proxy).toMatchObject({ pid: null, state: "stopped" });
      expect(isProcessGroupRunning(supervisorPid as number)).toBe(false);
    },
    STEP_TIMEOUT,
  );
});
