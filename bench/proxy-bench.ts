// npm run bench:proxy — throughput and latency of (a) the upstream called directly, (b) a bare
// Node keep-alive pipe proxy, (c) strangler-proxy in one process with a route matched and its flag
// evaluated, all against the same fast upstream in one run; (d) http-proxy-middleware for
// reference; (e) the strangler-proxy process as the stack runs it: a supervisor and one worker per
// core. Rounds interleave the variants so machine noise hits them alike; medians are reported.
// Last line: one JSON object with the figures, c/b and e/b.
import { parseArgs } from "node:util";
import { runLoad, startChildServer, type ChildServer, type LoadResult } from "./support/child-server";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    seconds: { type: "string", default: "5" },
    connections: { type: "string", default: "32" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write("Usage: npm run bench:proxy -- [--rounds 3] [--seconds 5] [--connections 32]\n");
  process.exit(0);
}
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const connections = Number(values.connections);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

interface Variant {
  key: "direct" | "barePipe" | "strangler" | "httpProxyMiddleware" | "stranglerWorkers";
  label: string;
  url: string;
  results: LoadResult[];
}

async function main(): Promise<void> {
  const servers: ChildServer[] = [];
  try {
    const upstream = await startChildServer("bench/support/fast-upstream.ts");
    servers.push(upstream);
    const pipe = await startChildServer("bench/support/bare-pipe-proxy.ts", [String(upstream.port)]);
    servers.push(pipe);
    const strangler = await startChildServer("bench/support/strangler-under-test.ts", [String(upstream.port)]);
    servers.push(strangler);
    const hpm = await startChildServer("bench/support/hpm-proxy.ts", [String(upstream.port)]);
    servers.push(hpm);
    const workers = await startChildServer("bench/support/strangler-workers-under-test.ts", [String(upstream.port)]);
    servers.push(workers);
    const variants: Variant[] = [
      { key: "direct", label: "(a) direct", url: `http://127.0.0.1:${upstream.port}/api/users?limit=1`, results: [] },
      {
        key: "barePipe",
        label: "(b) bare keep-alive pipe",
        url: `http://127.0.0.1:${pipe.port}/api/users?limit=1`,
        results: [],
      },
      {
        key: "strangler",
        label: "(c) strangler-proxy",
        url: `http://127.0.0.1:${strangler.port}/api/users?limit=1`,
        results: [],
      },
      {
        key: "httpProxyMiddleware",
        label: "(d) http-proxy-middleware",
        url: `http://127.0.0.1:${hpm.port}/api/users?limit=1`,
        results: [],
      },
      {
        key: "stranglerWorkers",
        label: `(e) strangler, ${workers.workers} workers`,
        url: `http://127.0.0.1:${workers.port}/api/users?limit=1`,
        results: [],
      },
    ];
    // Each worker of (e) is a fresh V8 that must warm up too: (e) gets 2 s per worker.
    const warmup = (v: Variant) => (v.key === "stranglerWorkers" ? 2 * (workers.workers ?? 1) : 2);
    process.stderr.write(`warming up (${variants.map(warmup).join(" + ")} s)…\n`);
    for (const v of variants) await runLoad(v.url, connections, warmup(v));
    for (let round = 1; round <= rounds; round++) {
      // Forward in odd rounds, backward in even ones, so a drift in machine load hits both sides of
      // each comparison alike; (b) and (c) always run back to back.
      for (const v of round % 2 ? variants : [...variants].reverse()) {
        const result = await runLoad(v.url, connections, seconds);
        if (result.errors > 0 || result.non2xx > 0)
          throw new Error(`${v.label}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
        v.results.push(result);
        process.stderr.write(
          `round ${round}/${rounds} ${v.label.padEnd(26)} ${Math.round(result.rps)} req/s  p50 ${result.p50.toFixed(3)} ms  p99 ${result.p99.toFixed(3)} ms\n`,
        );
      }
    }
    const summary = Object.fromEntries(
      variants.map((v) => [
        v.key,
        {
          rps: Math.round(median(v.results.map((r) => r.rps))),
          p50Ms: +median(v.results.map((r) => r.p50)).toFixed(3),
          p99Ms: +median(v.results.map((r) => r.p99)).toFixed(3),
        },
      ]),
    ) as Record<Variant["key"], { rps: number; p50Ms: number; p99Ms: number }>;
    const ratio = +(summary.strangler.rps / summary.barePipe.rps).toFixed(3);
    const addedP50Ms = +(summary.strangler.p50Ms - summary.barePipe.p50Ms).toFixed(3);
    const workersRatio = +(summary.stranglerWorkers.rps / summary.barePipe.rps).toFixed(3);
    const workersAddedP50Ms = +(summary.stranglerWorkers.p50Ms - summary.barePipe.p50Ms).toFixed(3);
    // The same comparisons round by round (each variant against the pipe measured next to it), then
    // their median: less sensitive to load that changes between rounds on a shared machine.
    const paired = (key: Variant["key"], of: (r: LoadResult, b: LoadResult) => number) => {
      const variant = variants.find((v) => v.key === key) as Variant;
      const pipeResults = (variants.find((v) => v.key === "barePipe") as Variant).results;
      return +median(variant.results.map((r, i) => of(r, pipeResults[i] as LoadResult))).toFixed(3);
    };
    const pairedRatio = paired("strangler", (r, b) => r.rps / b.rps);
    const pairedAddedP50Ms = paired("strangler", (r, b) => r.p50 - b.p50);
    const pairedWorkersRatio = paired("stranglerWorkers", (r, b) => r.rps / b.rps);
    process.stdout.write(
      `\n${"variant".padEnd(28)}${"req/s".padStart(9)}${"p50 ms".padStart(10)}${"p99 ms".padStart(10)}\n`,
    );
    for (const v of variants) {
      const s = summary[v.key];
      process.stdout.write(
        `${v.label.padEnd(28)}${String(s.rps).padStart(9)}${s.p50Ms.toFixed(3).padStart(10)}${s.p99Ms.toFixed(3).padStart(10)}\n`,
      );
    }
    process.stdout.write(
      `\nc/b throughput ${ratio} (target ≥ 0.8); added p50 vs b ${addedP50Ms} ms (target ≤ 1 ms); medians of ${rounds} rounds × ${seconds} s, ${connections} connections\n`,
    );
    process.stdout.write(
      `e/b throughput ${workersRatio} with ${workers.workers} workers against the single-process pipe; added p50 vs b ${workersAddedP50Ms} ms\n`,
    );
    process.stdout.write(
      `round by round (median): c/b ${pairedRatio}, added p50 ${pairedAddedP50Ms} ms; e/b ${pairedWorkersRatio}\n`,
    );
    process.stdout.write(
      `${JSON.stringify({
        benchmark: "proxy",
        rounds,
        seconds,
        connections,
        workers: workers.workers,
        ...summary,
        ratioStranglerToBarePipe: ratio,
        addedP50MsVsBarePipe: addedP50Ms,
        ratioWorkersToBarePipe: workersRatio,
        addedP50MsWorkersVsBarePipe: workersAddedP50Ms,
        pairedRatioStranglerToBarePipe: pairedRatio,
        pairedAddedP50MsVsBarePipe: pairedAddedP50Ms,
        pairedRatioWorkersToBarePipe: pairedWorkersRatio,
      })}\n`,
    );
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:proxy failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
