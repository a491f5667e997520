import http from "node:http";
import net from "node:net";
import { DRAIN_IDLE_CLOSE } from "../src/defaults";
import { waitFor } from "./support/fake-unleash-server";
import { startProxyHarness, type ProxyHarness } from "./support/proxy-harness";

interface Answer {
  status: number;
  connection: string | undefined;
}

function get(agent: http.Agent, baseUrl: string, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseUrl}${path}`, { agent, timeout: 10_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
  });
}

interface RawConnection {
  send(path: string): Promise<string>;
  closed: Promise<{ error: Error | null; afterMs: number }>;
  socket: net.Socket;
}

/** A raw keep-alive connection: requests are written on it one at a time; everything it hears is kept. */
function rawConnection(proxyUrl: string): Promise<RawConnection> {
  const { port, hostname } = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let buffer = "";
    let waiting: ((text: string) => void) | undefined;
    let error: Error | null = null;
    const opened = performance.now();
    socket.on("data", (data: Buffer) => {
      buffer += data.toString("latin1");
      const end = buffer.indexOf("\r\n\r\n");
      const length = /\r\ncontent-length: (\d+)/i.exec(buffer);
      const complete =
        end >= 0 && (length ? buffer.length >= end + 4 + Number(length[1]) : buffer.endsWith("\r\n0\r\n\r\n"));
      if (complete && waiting) {
        const text = buffer;
        buffer = "";
        waiting(text);
        waiting = undefined;
      }
    });
    socket.on("error", (e) => (error = e));
    const closed = new Promise<{ error: Error | null; afterMs: number }>((done) =>
      socket.once("close", () => done({ error, afterMs: performance.now() - opened })),
    );
    const limit = setTimeout(() => socket.destroy(), 15_000);
    void closed.then(() => clearTimeout(limit));
    socket.once("connect", () =>
      resolve({
        socket,
        closed,
        send: (path) =>
          new Promise((answer) => {
            waiting = answer;
            socket.write(`GET ${path} HTTP/1.1\r\nHost: proxy.test\r\n\r\n`);
          }),
      }),
    );
    socket.once("error", reject);
  });
}

describe("strangler proxy: graceful drain", () => {
  let h: ProxyHarness;
  let agent: http.Agent;

  beforeEach(async () => {
    h = await startProxyHarness({ proxyExtra: ["timeouts: { connectMs: 500, responseMs: 5000 }"] });
    agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  });
  afterEach(async () => {
    agent.destroy();
    await h?.close();
  });

  it("finishes the requests in flight, each answered with Connection: close", async () => {
    const before = h.service.received.length;
    const inFlight = Array.from({ length: 6 }, (_, i) => get(agent, h.proxyUrl, `/api/users/${i}?_delay=2000`));
    // In flight: all six reached the upstream (a connection still in the listen backlog is not).
    await waitFor(() => h.service.received.length - before === 6, 5_000, "six requests at the upstream");
    const closed = h.proxy.close(5_000);
    const answers = await Promise.all(inFlight);
    await closed;
    expect(answers).toEqual(Array.from({ length: 6 }, () => ({ status: 200, connection: "close" })));
  });

  it("answers a request sent on an idle keep-alive connection during the drain, instead of resetting it", async () => {
    const connection = await rawConnection(h.proxyUrl);
    expect(await connection.send("/api/users/1")).toMatch(/^HTTP\/1\.1 200 [\s\S]*\r\nConnection: keep-alive\r\n/);
    const closed = h.proxy.close(5_000);
    // The client reuses its connection just as the proxy begins to drain.
    const answer = await connection.send("/api/users/2");
    expect(answer).toMatch(/^HTTP\/1\.1 200 [\s\S]*\r\nConnection: close\r\n/);
    expect((await connection.closed).error).toBeNull();
    await closed;
  });

  it("closes a keep-alive connection that stays idle, and accepts no new connection", async () => {
    const connection = await rawConnection(h.proxyUrl);
    await connection.send("/api/users/1");
    const drainedAt = performance.now();
    await h.proxy.close(10_000);
    const drainMs = performance.now() - drainedAt;
    const closed = await connection.closed;
    expect(closed.error).toBeNull();
    expect(drainMs).toBeGreaterThanOrEqual(DRAIN_IDLE_CLOSE - 50);
    const { port, hostname } = new URL(h.proxyUrl);
    await expect(
      new Promise((resolve, reject) => {
        const socket = net.connect(Number(port), hostname, () => resolve(socket.destroy()));
        socket.once("error", reject);
      }),
    ).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });
});
