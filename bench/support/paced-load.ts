// Open-loop load: requests sent at a fixed rate whatever the answers' pace (keep-alive, at most 256
// in flight), for a fixed time. Measures latency below saturation, where a closed loop would only
// measure the machine's capacity. Prints one JSON line like load-generator.ts, plus `dropped`:
// requests not sent because MAX_IN_FLIGHT were waiting (the machine stalled).
import http from "node:http";

const [url, rateArg, secondsArg] = process.argv.slice(2);
if (!url) throw new Error("usage: paced-load <url> <requests-per-second> <seconds>");
const rate = Number(rateArg ?? 500);
const durationMs = Number(secondsArg ?? 5) * 1000;
const target = new URL(url);
const MAX_IN_FLIGHT = 256;
const TICK_MS = 1;
const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
const latencies: number[] = [];
let errors = 0;
let non2xx = 0;
let sent = 0;
let inFlight = 0;
let dropped = 0;
const started = performance.now();

function send(): void {
  if (inFlight >= MAX_IN_FLIGHT) {
    dropped++;
    return;
  }
  inFlight++;
  const t0 = process.hrtime.bigint();
  const req = http.request(
    {
      host: target.hostname,
      port: target.port,
      path: target.pathname + target.search,
      agent,
      headers: { "x-user-id": `user-${sent % 64}` },
    },
    (res) => {
      if (res.statusCode === undefined || res.statusCode >= 300) non2xx++;
      res.resume();
      res.on("end", () => {
        inFlight--;
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      });
    },
  );
  req.on("error", () => {
    inFlight--;
    errors++;
  });
  req.end();
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const timer = setInterval(() => {
  const elapsed = performance.now() - started;
  if (elapsed >= durationMs) {
    clearInterval(timer);
    const finish = setInterval(() => {
      if (inFlight > 0 && performance.now() - started < durationMs + 5_000) return;
      clearInterval(finish);
      const sorted = latencies.sort((a, b) => a - b);
      process.stdout.write(
        `${JSON.stringify({ requests: sorted.length, rps: sorted.length / (durationMs / 1000), p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), errors, dropped, non2xx })}\n`,
      );
      agent.destroy();
    }, 10);
    return;
  }
  // Catch up to the schedule: timers fire late under load, the rate must not drop with them.
  const due = Math.floor((elapsed / 1000) * rate);
  while (sent < due) {
    sent++;
    send();
  }
}, TICK_MS);
