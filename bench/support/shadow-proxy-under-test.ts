// bench:shadow's proxy: strangler-proxy in its own process in front of two fixture upstreams, the
// route's serve flag off (the legacy upstream answers) and its shadow flag off or on at 100 %
// (argv[4]: off | on), noise sample 10 %. Shadow results go through the real results pipeline
// (compared off the request path; no toolkit database, so nothing is written), wrapped to count; on
// SIGTERM the counts are written to the file named by argv[5].
import fs from "node:fs";
import { parseMigrationConfig, shadowFlagName } from "@strangler/migration-config";
import { createProxy, createProxyLogger } from "../../strangler-proxy/src";
import { createFakeFlagSource } from "../../strangler-proxy/src/flags/fake-flag-source";
import { createShadowPipeline } from "../../strangler-proxy/src/shadow/results/shadow-pipeline";
import type { ShadowSink } from "../../strangler-proxy/src/shadow/shadow-sink";

const [legacyPort, servicePort, mode, countsFile] = process.argv.slice(2);
const migration = parseMigrationConfig(
  `version: 1
legacy: { url: "http://127.0.0.1:${Number(legacyPort)}" }
proxy: { listen: { port: 0 }, admin: { port: 0 }, shadow: { noiseSample: 0.1 } }
unleash: { url: "http://127.0.0.1:9" }
services:
  - name: things-service
    url: "http://127.0.0.1:${Number(servicePort)}"
    routes:
      reads: [{ id: things-list, methods: [GET, HEAD], path: /api/users }]
`,
  "bench config",
  {},
);
const flags = createFakeFlagSource(mode === "on" ? { [shadowFlagName("things-list")]: { enabled: true } } : {});
const counts = { recorded: 0, answered: 0, noise: 0, skipped: 0, judged: 0, mismatches: 0, dropped: 0 };
const logger = createProxyLogger(process.env.LOG_LEVEL ?? "warn");
const pipeline = createShadowPipeline({ migration, logger });
const sink: ShadowSink = {
  record(exchange) {
    counts.recorded += 1;
    if (exchange.candidateOutcome.kind === "answered") counts.answered += 1;
    if (exchange.primaryAgain) counts.noise += 1;
    pipeline.record(exchange);
  },
  skipped(routeId, service, reason) {
    counts.skipped += 1;
    pipeline.skipped(routeId, service, reason);
  },
};
const proxy = createProxy(
  { migration, adminToken: "bench-admin-token-0123456789" },
  { flags, logger, shadowSink: sink },
);
void proxy.listen().then(({ proxyUrl }) => {
  process.stdout.write(`${JSON.stringify({ port: Number(new URL(proxyUrl).port) })}\n`);
});
process.on("SIGTERM", () => {
  void proxy.close(1000).finally(async () => {
    await pipeline.close();
    const { judged, mismatches, dropped } = pipeline.stats();
    Object.assign(counts, { judged, mismatches, dropped });
    if (countsFile) fs.writeFileSync(countsFile, JSON.stringify(counts));
    process.exit(0);
  });
});
