// A minimal upstream for benchmarks: answers every request with a small JSON body, keep-alive.
import http from "node:http";

const body = JSON.stringify({
  data: [{ id: "00000000-0000-4000-8000-000000000001", email: "a@example.com", name: "A B" }],
  page: { limit: 1, offset: 0, total: 1 },
});
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
