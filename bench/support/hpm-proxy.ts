// Reference (d): http-proxy-middleware 3 on a plain http server with a keep-alive agent, the
// proxying library our users named; measured beside ours to back ADR 0004.
import http from "node:http";
import { createProxyMiddleware } from "http-proxy-middleware";

const upstreamPort = Number(process.argv[2]);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const proxy = createProxyMiddleware({
  target: `http://127.0.0.1:${upstreamPort}`,
  agent,
  xfwd: true,
  logger: undefined,
});
const server = http.createServer((req, res) => {
  void proxy(req, res, () => {
    res.statusCode = 404;
    res.end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
