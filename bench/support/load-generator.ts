// Closed-loop load: N keep-alive connections, each sending its next request when the previous
// answer is complete, for a fixed time. Prints one JSON line: requests/s and latency percentiles
// (sub-millisecond, from hrtime).
import http from "node:http";

const [url, connectionsArg, secondsArg, headersJson] = process.argv.slice(2);
if (!url) throw new Error("usage: load-generator <url> <connections> <seconds> [headers-json]");
const connections = Number(connectionsArg ?? 32);
const durationMs = Number(secondsArg ?? 5) * 1000;
const headers = headersJson ? (JSON.parse(headersJson) as Record<string, string>) : {};
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const latencies: number[] = [];
let errors = 0;
let non2xx = 0;
const started = performance.now();
const deadline = started + durationMs;

function loop(worker: number): Promise<void> {
  return new Promise((resolve) => {
    const next = () => {
      if (performance.now() >= deadline) return resolve();
      const t0 = process.hrtime.bigint();
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          agent,
          headers: { ...headers, "x-user-id": `user-${worker}` },
        },
        (res) => {
          if (res.statusCode === undefined || res.statusCode >= 300) non2xx++;
          res.resume();
          res.on("end", () => {
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            next();
          });
        },
      );
      req.on("error", () => {
        errors++;
        setTimeout(next, 10);
      });
      req.end();
    };
    next();
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

void Promise.all(Array.from({ length: connections }, (_, i) => loop(i))).then(() => {
  const elapsed = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({ requests: sorted.length, rps: sorted.length / elapsed, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), errors, non2xx })}\n`,
  );
  agent.destroy();
});
