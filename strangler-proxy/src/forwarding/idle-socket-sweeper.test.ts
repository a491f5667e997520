import http from "node:http";
import type { AddressInfo } from "node:net";
import { createIdleSocketSweeper, type IdleSocketSweeper } from "./idle-socket-sweeper";

const freeCount = (agent: http.Agent) =>
  Object.values(agent.freeSockets).reduce((sum, list) => sum + (list?.length ?? 0), 0);

function get(agent: http.Agent, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
        res.resume();
        res.on("end", () => setImmediate(resolve));
      })
      .on("error", reject);
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error("condition not met");
}

describe("idle socket sweeper", () => {
  let server: http.Server;
  let port: number;
  let hint: string | undefined;
  let sweeper: IdleSocketSweeper;
  let agent: http.Agent;

  beforeEach(async () => {
    hint = undefined;
    server = http.createServer((_req, res) => {
      if (hint) res.setHeader("keep-alive", hint);
      res.end("ok");
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
    sweeper = createIdleSocketSweeper(200, 20);
    agent = new http.Agent({ keepAlive: true });
    sweeper.watch(agent);
  });
  afterEach(async () => {
    sweeper.stop();
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("pools a socket, then closes it once it stayed idle", async () => {
    await get(agent, port);
    expect(freeCount(agent)).toBe(1);
    await until(() => freeCount(agent) === 0);
  });

  it("keeps reusing one socket while requests keep coming", async () => {
    const sockets = new Set<unknown>();
    server.on("connection", (socket) => sockets.add(socket));
    for (let i = 0; i < 5; i++) await get(agent, port);
    expect(sockets.size).toBe(1);
  });

  it("does not pool a socket the upstream says it keeps for less than a second more", async () => {
    hint = "timeout=1";
    await get(agent, port);
    expect(freeCount(agent)).toBe(0);
  });

  it("closes a socket sooner when the upstream's Keep-Alive hint is shorter than its own limit", async () => {
    // A sweeper that would keep sockets a minute; the upstream keeps them 2 s, so they go after 1 s.
    const patient = createIdleSocketSweeper(60_000, 20);
    const other = new http.Agent({ keepAlive: true });
    patient.watch(other);
    hint = "timeout=2";
    try {
      await get(other, port);
      expect(freeCount(other)).toBe(1);
      await until(() => freeCount(other) === 0);
    } finally {
      patient.stop();
      other.destroy();
    }
  });
});
