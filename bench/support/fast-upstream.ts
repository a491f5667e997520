// A minimal upstream for benchmarks: answers every request with a small JSON body, keep-alive.
// argv[2]: milliseconds to wait before answering (a service waiting on its database), default 0.
import http from "node:http";

const waitMs = Number(process.argv[2] ?? 0);

const body = JSON.stringify({
  data: [{ id: "00000000-0000-4000-8000-000000000001", email: "a@example.com", name: "A B" }],
  page: { limit: 1, offset: 0, total: 1 },
});
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const answer = () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    };
    if (waitMs > 0) setTimeout(answer, waitMs);
    else answer();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
