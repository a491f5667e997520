import { parseMigrationConfig, type MigrationConfig } from "@strangler/migration-config";
import type { CallOutcome, ShadowExchange } from "../shadow-sink";

/** A neutral migration config for shadow results tests: one service with reads and writes on /things. */
export function shadowTestConfig(
  extra: { dryRun?: boolean; compare?: string; legacyUrl?: string; serviceUrl?: string } = {},
): MigrationConfig {
  return parseMigrationConfig(
    [
      "version: 1",
      `legacy: { name: old-app, url: '${extra.legacyUrl ?? "http://127.0.0.1:9"}' }`,
      "proxy: { listen: { host: 127.0.0.1, port: 0 }, admin: { host: 127.0.0.1, port: 0 } }",
      "unleash: { url: 'http://127.0.0.1:9' }",
      "services:",
      "  - name: things-service",
      `    url: ${extra.serviceUrl ?? "http://127.0.0.1:9"}`,
      `    dryRun: ${extra.dryRun ?? true}`,
      ...(extra.compare ? [`    compare: ${extra.compare}`] : []),
      "    routes:",
      "      reads:",
      "        - { id: things-get, methods: [GET], path: /things/:id }",
      "        - { id: things-list, methods: [GET], path: /things }",
      "      writes:",
      "        - { id: things-create, methods: [POST], path: /things }",
      "        - { id: things-update, methods: [PATCH, DELETE], path: /things/:id }",
    ].join("\n"),
    "shadow-results-test.yaml",
    {},
  );
}

/** A JSON answer as the mirror captures it. */
export function json(body: unknown, status = 200, latencyMs = 3): CallOutcome {
  return {
    kind: "answered",
    answer: {
      status,
      headers: { "content-type": "application/json" },
      body: Buffer.from(JSON.stringify(body)),
      latencyMs,
    },
  };
}

/** An exchange the way the mirror hands it over: a read of /things/1 answered by the legacy side unless told. */
export function exchange(fields: Partial<ShadowExchange> = {}): ShadowExchange {
  return {
    at: Date.UTC(2026, 11, 2, 10, 0, 30),
    routeId: "things-get",
    service: "things-service",
    primary: "legacy",
    method: "GET",
    path: "/things/1",
    requestHeaders: { accept: "application/json" },
    requestBody: null,
    requestId: "req-1",
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    dryRun: false,
    primaryOutcome: json({ id: 1, name: "one" }),
    candidateOutcome: json({ id: 1, name: "one" }),
    ...fields,
  };
}
