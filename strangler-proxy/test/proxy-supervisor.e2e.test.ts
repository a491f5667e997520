import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseOpsDocument, proxyHealthReportSchema, proxyRoutingReportSchema } from "@strangler/ops-contract";
import { startEchoUpstream, type EchoUpstream } from "./support/echo-upstream";
import { startFakeUnleashServer, waitFor, type FakeUnleashServer } from "./support/fake-unleash-server";
import { httpRequest } from "./support/http-request";
import { metricValues } from "./support/metrics-text";
import { startProxyProcess, type ProxyProcess } from "./support/proxy-process";
import { TEST_ADMIN_TOKEN } from "./support/test-config";

interface SupervisorView {
  pid: number;
  workers: Array<{ id: number; pid: number; state: string }>;
  restart: {
    state: string;
    requested: number;
    completed: number;
    lastOutcome: string | null;
    lastError: string | null;
  };
}

const authorized = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

// The proxy process as the stack runs it: a supervisor holding the port, two workers, one admin port.
describe("strangler-proxy supervisor and workers (process)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-proxy-supervisor-"));
  let monolith: EchoUpstream;
  let service: EchoUpstream;
  let unleash: FakeUnleashServer;
  let proxy: ProxyProcess | undefined;
  let goodConfig = "";

  const supervisor = async (): Promise<SupervisorView> =>
    (await httpRequest((proxy as ProxyProcess).adminUrl, { path: "/admin/health", headers: authorized })).json
      .supervisor as SupervisorView;
  const requestsCounted = async () =>
    metricValues(
      (await httpRequest((proxy as ProxyProcess).adminUrl, { path: "/metrics" })).body,
      "strangler_proxy_requests_total",
    ).reduce((sum, s) => sum + s.value, 0);
  const restartAndWait = async (completed: number): Promise<SupervisorView> => {
    process.kill((proxy as ProxyProcess).proc.pid as number, "SIGHUP");
    let view: SupervisorView | undefined;
    await waitFor(
      async () => {
        view = await supervisor();
        return view.restart.completed >= completed && view.restart.state === "idle";
      },
      120_000,
      "the restart to finish",
    );
    return view as SupervisorView;
  };

  beforeAll(async () => {
    monolith = await startEchoUpstream("monolith");
    service = await startEchoUpstream("users-service");
    unleash = await startFakeUnleashServer();
    unleash.setFeatures([{ name: "strangler.users-list.serve", enabled: true, rollout: 100 }]);
    proxy = await startProxyProcess(dir, {
      monolithUrl: monolith.url,
      usersServiceUrl: service.url,
      unleashUrl: unleash.url,
      unleashToken: unleash.token,
      proxyExtra: ["workers: 2", "timeouts: { connectMs: 500, responseMs: 8000 }"],
    });
    goodConfig = fs.readFileSync(proxy.configFile, "utf8");
  }, 90_000);

  afterAll(async () => {
    proxy?.kill();
    await Promise.all([monolith?.close(), service?.close(), unleash?.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("spreads connections over its workers and reports them as one proxy on the admin port", async () => {
    const p = proxy as ProxyProcess;
    const before = await requestsCounted();
    for (let i = 0; i < 20; i++) {
      const res = await httpRequest(p.proxyUrl, {
        path: "/api/users",
        headers: { "x-user-id": `u${i}`, "x-request-id": `spread-${i}` },
      });
      expect(res.headers["x-strangler-backend"]).toBe("users-service");
    }
    expect(await requestsCounted()).toBe(before + 20);
    await waitFor(
      () => p.lines().filter((line) => String(line.requestId).startsWith("spread-")).length === 20,
      5_000,
      "the request log lines",
    );
    const workersSeen = new Set(
      p
        .lines()
        .filter((line) => String(line.requestId).startsWith("spread-"))
        .map((line) => line.worker),
    );
    expect(workersSeen.size).toBe(2);

    const routes = await httpRequest(p.adminUrl, { path: "/admin/routes", headers: authorized });
    expect(Object.keys(routes.json)).toEqual(["flags", "routes"]);
    // The workers' reports, merged by the supervisor, are still the contract's documents.
    expect(() =>
      parseOpsDocument(proxyRoutingReportSchema, routes.json, {
        document: "the routing report",
        source: "GET /admin/routes",
      }),
    ).not.toThrow();
    expect(routes.json.flags.source).toBe("unleash");
    expect(routes.json.routes.find((r: { id: string }) => r.id === "users-list").serve).toEqual({
      flag: "strangler.users-list.serve",
      enabled: true,
      rollout: 100,
    });
    const health = await httpRequest(p.adminUrl, { path: "/admin/health", headers: authorized });
    expect(() =>
      parseOpsDocument(proxyHealthReportSchema, health.json, {
        document: "the health report",
        source: "GET /admin/health",
      }),
    ).not.toThrow();
    expect(health.json).toMatchObject({ status: "ok", backends: [{ service: "users-service", healthy: true }] });
    expect(health.json.supervisor).toMatchObject({
      pid: p.proc.pid,
      restart: { state: "idle", requested: 0, completed: 0 },
    });
    expect(health.json.supervisor.workers.map((w: { state: string }) => w.state)).toEqual(["listening", "listening"]);
  });

  it("keeps its workers when a restart (SIGHUP) finds the migration config broken, and says why", async () => {
    const p = proxy as ProxyProcess;
    const workers = (await supervisor()).workers.map((w) => w.pid);
    fs.writeFileSync(p.configFile, goodConfig.replace("workers: 2", "workers: many"));
    try {
      const view = await restartAndWait(1);
      expect(view.restart).toMatchObject({
        lastOutcome: "failed",
        lastError: expect.stringContaining("proxy.workers (line"),
      });
      expect(view.workers.map((w) => w.pid)).toEqual(workers);
      expect((await httpRequest(p.proxyUrl, { path: "/api/users" })).status).toBe(200);
    } finally {
      fs.writeFileSync(p.configFile, goodConfig);
    }
  }, 120_000);

  it("replaces every worker on SIGHUP, under the same supervisor, and its request counts carry on", async () => {
    const p = proxy as ProxyProcess;
    const workers = (await supervisor()).workers.map((w) => w.pid);
    const counted = await requestsCounted();
    const view = await restartAndWait(2);
    expect(view.restart.lastOutcome).toBe("ok");
    expect(view.pid).toBe(p.proc.pid);
    expect(view.workers).toHaveLength(2);
    expect(view.workers.some((w) => workers.includes(w.pid))).toBe(false);
    expect(await requestsCounted()).toBeGreaterThanOrEqual(counted);
  }, 120_000);

  it("on SIGTERM finishes the requests in flight with Connection: close, answers a client that reuses its connection, and exits 0", async () => {
    const p = proxy as ProxyProcess;
    // A keep-alive connection that has been used once and is idle when the proxy is told to stop.
    const { port, hostname } = new URL(p.proxyUrl);
    const idle = net.connect(Number(port), hostname);
    let idleText = "";
    let idleError: Error | null = null;
    idle.on("data", (data: Buffer) => (idleText += data.toString("latin1")));
    idle.on("error", (error) => (idleError = error));
    const idleClosed = new Promise<void>((resolve) => idle.once("close", () => resolve()));
    idle.write("GET /api/users/1 HTTP/1.1\r\nHost: proxy.test\r\n\r\n");
    await waitFor(() => idleText.includes("\r\n0\r\n\r\n"), 10_000, "the first answer on the idle connection");

    const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
    const received = service.received.length;
    const inFlight = Array.from(
      { length: 6 },
      (_, i) =>
        new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
          http
            .get(`${p.proxyUrl}/api/users?_delay=3000&n=${i}`, { agent }, (res) => {
              res.resume();
              res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
              res.on("error", reject);
            })
            .on("error", reject);
        }),
    );
    await waitFor(() => service.received.length - received === 6, 10_000, "six requests at the upstream");

    p.proc.kill("SIGTERM");
    await waitFor(
      async () => (await httpRequest(p.adminUrl, { path: "/readyz" }).catch(() => undefined))?.status !== 200,
      5_000,
      "the proxy to stop being ready",
    );
    // The client reuses its idle connection just as the proxy drains: it gets an answer, not a reset.
    idleText = "";
    idle.write("GET /api/users/2 HTTP/1.1\r\nHost: proxy.test\r\n\r\n");

    expect(await Promise.all(inFlight)).toEqual(
      Array.from({ length: 6 }, () => ({ status: 200, connection: "close" })),
    );
    await idleClosed;
    expect(idleError).toBeNull();
    expect(idleText).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(await p.exited).toBe(0);
    agent.destroy();
    const messages = p.lines().map((line) => line.msg);
    expect(messages).toEqual(
      expect.arrayContaining(["shutting down: draining in-flight requests", "drained", "stopped"]),
    );
  }, 60_000);
});
