import net from "node:net";
import { startProxyHarness, type ProxyHarness } from "./support/proxy-harness";

const HEADERS_MS = 2_000;
const REQUEST_MS = 3_000;
const IDLE_MS = 1_000;
/** Longer than REQUEST_MS: a request whose body is late is the client's fault (408), not the upstream's (504). */
const RESPONSE_MS = 6_000;

/** What a raw client saw: the answer, and when (ms after its first byte) the answer came and the connection closed. */
interface SlowClientResult {
  answer: string;
  answeredAfterMs: number | null;
  closedAfterMs: number;
}

/** Sends `head` at once, then `trickle` one byte per second, until the proxy answers or closes; stops by itself after limitMs. */
function trickle(proxyUrl: string, head: string, slow: string, limitMs = 15_000): Promise<SlowClientResult> {
  const { port, hostname } = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let started = 0;
    let answer = "";
    let answeredAfterMs: number | null = null;
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const limit = setTimeout(() => socket.destroy(), limitMs);
    socket.once("connect", () => {
      started = performance.now();
      if (head) socket.write(head);
      const next = () => {
        if (socket.destroyed || sent >= slow.length) return;
        socket.write(slow.charAt(sent++));
        timer = setTimeout(next, 1_000);
      };
      next();
    });
    socket.on("data", (data: Buffer) => {
      answeredAfterMs ??= performance.now() - started;
      answer += data.toString("latin1");
    });
    socket.on("error", () => undefined);
    socket.once("close", () => {
      clearTimeout(timer);
      clearTimeout(limit);
      if (!started) return reject(new Error("could not connect"));
      resolve({ answer, answeredAfterMs, closedAfterMs: performance.now() - started });
    });
  });
}

function bodyOf(answer: string): { error: { code: string; message: string; details: Record<string, unknown> } } {
  return JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as {
    error: { code: string; message: string; details: Record<string, unknown> };
  };
}

describe("strangler proxy: client timeouts", () => {
  let h: ProxyHarness;

  beforeAll(async () => {
    h = await startProxyHarness({
      proxyExtra: [
        `timeouts: { connectMs: 500, responseMs: ${RESPONSE_MS}, clientHeadersMs: ${HEADERS_MS}, clientRequestMs: ${REQUEST_MS}, clientIdleMs: ${IDLE_MS} }`,
      ],
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("cuts a client that sends its headers one byte per second within the header timeout + 1 s, with 408", async () => {
    const before = h.monolith.received.length + h.service.received.length;
    const result = await trickle(
      h.proxyUrl,
      "",
      "GET /api/users HTTP/1.1\r\nHost: proxy.test\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
    );
    expect(result.answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(result.answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(bodyOf(result.answer).error).toMatchObject({
      code: "STRANGLER_REQUEST_TIMEOUT",
      message: `the request headers were not received within ${HEADERS_MS} ms`,
      details: { timeoutMs: HEADERS_MS, requestId: expect.any(String) },
    });
    expect(result.answeredAfterMs).toBeGreaterThanOrEqual(HEADERS_MS - 50);
    expect(result.answeredAfterMs).toBeLessThan(HEADERS_MS + 1_000);
    expect(result.closedAfterMs).toBeLessThan(HEADERS_MS + 1_000);
    expect(h.monolith.received.length + h.service.received.length).toBe(before);
  });

  it("cuts a client that opens a connection and sends nothing, with 408", async () => {
    const { port, hostname } = new URL(h.proxyUrl);
    const result = await new Promise<{ answer: string; afterMs: number }>((resolve) => {
      const socket = net.connect(Number(port), hostname);
      const started = performance.now();
      let answer = "";
      socket.on("data", (data: Buffer) => (answer += data.toString("latin1")));
      socket.on("error", () => undefined);
      const limit = setTimeout(() => socket.destroy(), 10_000);
      socket.once("close", () => {
        clearTimeout(limit);
        resolve({ answer, afterMs: performance.now() - started });
      });
    });
    expect(result.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(result.afterMs).toBeLessThan(HEADERS_MS + 1_000);
  });

  it("cuts a request whose body trickles in past the whole-request timeout, with 408", async () => {
    const head =
      "POST /api/users HTTP/1.1\r\nHost: proxy.test\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n";
    const result = await trickle(h.proxyUrl, head, "{".padEnd(64, " "));
    expect(result.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(result.answer).error).toMatchObject({
      code: "STRANGLER_REQUEST_TIMEOUT",
      message: `the whole request was not received within ${REQUEST_MS} ms`,
    });
    expect(result.answeredAfterMs).toBeGreaterThanOrEqual(REQUEST_MS - 50);
    expect(result.answeredAfterMs).toBeLessThan(REQUEST_MS + 1_000);
  });

  it("closes an idle keep-alive connection after the idle timeout, not before", async () => {
    const { port, hostname } = new URL(h.proxyUrl);
    const result = await new Promise<{ answer: string; idleMs: number }>((resolve) => {
      const socket = net.connect(Number(port), hostname, () =>
        socket.write("GET /api/users HTTP/1.1\r\nHost: proxy.test\r\n\r\n"),
      );
      let answer = "";
      let answeredAt = 0;
      socket.on("data", (data: Buffer) => {
        answeredAt ||= performance.now();
        answer += data.toString("latin1");
      });
      socket.on("error", () => undefined);
      const limit = setTimeout(() => socket.destroy(), 10_000);
      socket.once("close", () => {
        clearTimeout(limit);
        resolve({ answer, idleMs: performance.now() - answeredAt });
      });
    });
    expect(result.answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(result.answer).toMatch(/\r\nkeep-alive: timeout=1\r\n/i);
    expect(result.idleMs).toBeGreaterThanOrEqual(IDLE_MS - 50);
  });
});

describe("strangler proxy: an upstream timeout during a slow upload", () => {
  let h: ProxyHarness;

  beforeAll(async () => {
    h = await startProxyHarness({
      proxyExtra: ["timeouts: { connectMs: 500, responseMs: 1000, clientHeadersMs: 2000, clientRequestMs: 10000 }"],
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("answers 504 and closes the connection instead of reading the rest of the body on it", async () => {
    const head =
      "POST /api/users HTTP/1.1\r\nHost: proxy.test\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n{";
    const result = await trickle(h.proxyUrl, head, "", 8_000);
    expect(result.answer).toMatch(/^HTTP\/1\.1 504 /);
    expect(result.answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(bodyOf(result.answer).error.code).toBe("STRANGLER_GATEWAY_TIMEOUT");
    // Closed by the proxy right after its answer, not left open until the test gives up.
    expect(result.closedAfterMs).toBeLessThan(8_000);
  });
});
