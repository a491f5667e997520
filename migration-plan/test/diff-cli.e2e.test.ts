import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseMigrationConfig } from "@strangler/migration-config";
import { type DiffExample, diffExampleSchema, diffReportSchema } from "@strangler/ops-contract";
import { createFakeFlagSource, createProxy } from "@strangler/proxy";
import { createPgShadowResultStore, type ShadowResultBatch } from "@strangler/toolkit-store";
import pino from "pino";
import { createEmptyTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";

// `strangler diff report|show` and the proxy's GET /admin/diff/… on a real toolkit database: results
// written through the PostgreSQL ShadowResultStore (two writers, as two proxy replicas would) are
// what the CLI prints and the admin API serves, as the contract's documents. The CLI runs as a user
// runs it (bin/strangler.cjs), under the hook that makes the stack impossible to load.
const bin = path.join(__dirname, "..", "bin", "strangler.cjs");
const forbidStack = path.join(__dirname, "support", "forbid-stack.cjs");
const ADMIN_TOKEN = "diff-cli-admin-token-0123456789";

const example: DiffExample = {
  id: "diff-cli-example-1",
  at: new Date(Date.now() - 60_000).toISOString(),
  routeId: "accounts-get",
  service: "accounts",
  primary: "legacy",
  method: "GET",
  path: "/accounts/7",
  requestHeaders: { accept: "application/json" },
  requestBody: null,
  requestId: "req-7",
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  signature: "value /owner",
  answers: {
    legacy: { status: 200, headers: { "content-type": "application/json" }, body: '{"owner":"Smith"}', latencyMs: 2 },
    service: { status: 200, headers: { "content-type": "application/json" }, body: '{"owner":"SMITH"}', latencyMs: 3 },
  },
  differences: [{ path: "/owner", kind: "value", legacy: '"Smith"', service: '"SMITH"' }],
};

const batch = (withExample: boolean): ShadowResultBatch => ({
  minutes: [
    {
      minute: Math.floor((Date.now() - 60_000) / 60_000) * 60_000,
      routeId: "accounts-get",
      service: "accounts",
      compared: 10,
      matches: 7,
      mismatches: 3,
      noiseOnly: 0,
      cdcFirst: 0,
      candidateErrors: 1,
      candidateTimeouts: 0,
      skipped: { concurrency_limit: 2 },
      signatures: [{ signature: "value /owner", fields: [{ path: "/owner", kind: "value" }], count: 3 }],
      latency: { legacy: [], service: [] },
    },
  ],
  noise: [],
  examples: withExample ? [example] : [],
});

describe("strangler diff and GET /admin/diff/… on a real toolkit database", () => {
  let toolkit: TestDatabase;
  let dir: string;
  let configFile: string;

  const strangler = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ["--require", forbidStack, bin, ...args],
        { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    toolkit = await createEmptyTestDatabase("diff_cli");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-diff-cli-"));
    configFile = path.join(dir, "strangler.config.yaml");
    fs.writeFileSync(
      configFile,
      [
        "version: 1",
        "legacy: { name: ledger, url: 'http://127.0.0.1:9' }",
        "proxy: { listen: { host: 127.0.0.1, port: 0 }, admin: { host: 127.0.0.1, port: 0 } }",
        "unleash: { url: 'http://127.0.0.1:9' }",
        "services:",
        "  - name: accounts",
        "    url: http://127.0.0.1:9",
        "    routes: { reads: [{ id: accounts-get, methods: [GET], path: '/accounts/:id' }] }",
        `toolkit: { database: '${toolkit.url}' }`,
      ].join("\n"),
    );
    // Two writers, as two proxy replicas: the report sums them.
    const retention = { days: 7, examplesPerSignature: 5 };
    const writers = [0, 1].map(() =>
      createPgShadowResultStore(toolkit.url, { retention, logger: pino({ level: "silent" }) }),
    );
    try {
      await writers[0]?.write(batch(true));
      await writers[1]?.write(batch(false));
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
  });

  afterAll(async () => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await toolkit?.drop();
  });

  it("diff report --json prints the contract's report, summed over both writers", async () => {
    const result = await strangler(["diff", "report", "--json", "--config", configFile]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const route = diffReportSchema.parse(JSON.parse(result.stdout)).routes.find((r) => r.routeId === "accounts-get");
    expect(route).toMatchObject({ compared: 20, matches: 14, mismatches: 6, candidateErrors: 2 });
    expect(route?.skipped.concurrency_limit).toBe(4);
    expect(route?.signatures).toEqual([
      expect.objectContaining({ fields: [{ path: "/owner", kind: "value" }], count: 6, exampleId: example.id }),
    ]);
  });

  it("diff report prints the route, its match rate and the signature with its example id", async () => {
    const result = await strangler([
      "diff",
      "report",
      "--route",
      "accounts-get",
      "--since",
      "2h",
      "--config",
      configFile,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/compared 20 +match rate 70\.0 % +mismatches 6/);
    expect(result.stdout).toMatch(new RegExp(`6 +30\\.0 % +${example.id} +/owner \\(value\\)`));
    expect(result.stdout).not.toContain("\u001b[");
  });

  it("diff show prints the example; an unknown id exits 1", async () => {
    const shown = await strangler(["diff", "show", example.id, "--json", "--config", configFile]);
    expect(diffExampleSchema.parse(JSON.parse(shown.stdout))).toEqual(example);
    const text = await strangler(["diff", "show", example.id, "--config", configFile]);
    expect(text.stdout).toMatch(/\/owner +value +"Smith" +"SMITH"/);
    const unknown = await strangler(["diff", "show", "no-such-example", "--config", configFile]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no example 'no-such-example'");
  });

  it("the proxy's admin API serves the same documents from the same database", async () => {
    const migration = parseMigrationConfig(fs.readFileSync(configFile, "utf8"), configFile, {});
    const proxy = createProxy({ migration, adminToken: ADMIN_TOKEN }, { flags: createFakeFlagSource() });
    try {
      const { adminUrl } = await proxy.listen();
      const get = async (p: string) => {
        const response = await fetch(`${adminUrl}${p}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
        return { status: response.status, json: (await response.json()) as unknown };
      };
      const report = await get("/admin/diff/report?service=accounts&since=2h");
      expect(report.status).toBe(200);
      expect(diffReportSchema.parse(report.json).routes[0]).toMatchObject({ routeId: "accounts-get", compared: 20 });
      const shown = await get(`/admin/diff/examples/${example.id}`);
      expect(diffExampleSchema.parse(shown.json)).toEqual(example);
      expect((await get("/admin/diff/examples/no-such-example")).status).toBe(404);
    } finally {
      await proxy.close(0);
    }
  });
});
