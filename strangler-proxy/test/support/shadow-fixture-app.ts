import http from "node:http";
import type { AddressInfo } from "node:net";

/** One request as a shadow fixture app received it (recorded once its body ended). */
export interface FixtureRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A neutral fixture app for shadow tests: answers JSON naming itself, with a delay a test sets. */
export interface ShadowFixtureApp {
  name: string;
  url: string;
  received: FixtureRequest[];
  /** false: requests are not kept in `received` (a memory test measures the proxy, not the fixture). */
  recording: boolean;
  /** Answers sent so far (a delayed answer counts once sent). */
  answered: number;
  /** Every answer waits this long first (0: at once). */
  delayMs: number;
  /** Most connections open at the same time so far. */
  maxOpenConnections: number;
  close(): Promise<void>;
}

/**
 * Starts a fixture app on 127.0.0.1 (port 0). Its answer: `{ app, method, url, body }` as JSON.
 * Delayed answers are timers the app clears on close, so a test leaves nothing running.
 */
export async function startShadowFixtureApp(name: string): Promise<ShadowFixtureApp> {
  const timers = new Set<NodeJS.Timeout>();
  let open = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const entry: FixtureRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      if (app.recording) app.received.push(entry);
      const answer = () => {
        if (res.destroyed) return;
        app.answered += 1;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ app: name, method: entry.method, url: entry.url, body: entry.body }));
      };
      if (app.delayMs <= 0) return answer();
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, app.delayMs);
      timers.add(timer);
    });
  });
  server.on("connection", (socket) => {
    open += 1;
    app.maxOpenConnections = Math.max(app.maxOpenConnections, open);
    socket.on("close", () => (open -= 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const app: ShadowFixtureApp = {
    name,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: [],
    recording: true,
    answered: 0,
    delayMs: 0,
    maxOpenConnections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return app;
}
