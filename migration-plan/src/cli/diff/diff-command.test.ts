import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type DiffExample, type DiffReport, diffReportSchema } from "@strangler/ops-contract";
import type { DiffReportQuery } from "@strangler/toolkit-store";
import { loadCliEnvironment } from "../cli-config";
import { runStranglerCli } from "../run-strangler-cli";
import { runDiffCommand } from "./diff-command";
import type { DiffResults, OpenDiffResults } from "./diff-results";

const NOW = Date.now();
const CONFIG = (toolkit: string) => `version: 1
legacy: { name: legacy-app, url: "http://127.0.0.1:1" }
unleash: { url: "http://127.0.0.1:2" }
services:
  - name: accounts
    url: "http://127.0.0.1:3"
    routes:
      reads: [{ id: accounts-get, methods: [GET], path: /accounts/:id }]
      writes: [{ id: accounts-create, methods: [POST], path: /accounts }]
${toolkit}`;

// The fakes are the contract's own types: a field renamed there fails to compile here.
const report: DiffReport = {
  since: new Date(NOW - 3_600_000).toISOString(),
  until: new Date(NOW).toISOString(),
  routes: [
    {
      routeId: "accounts-get",
      service: "accounts",
      compared: 200,
      matches: 180,
      mismatches: 14,
      noiseOnly: 6,
      cdcFirst: 0,
      candidateErrors: 2,
      candidateTimeouts: 1,
      skipped: { concurrency_limit: 3, request_body_too_large: 0 },
      matchRate: 0.93,
      latency: {
        legacy: { count: 200, p50: 2.5, p95: 9.75, p99: 12 },
        service: { count: 197, p50: 3, p95: 11, p99: 20 },
      },
      signatures: [
        {
          signature: "s-type",
          fields: [{ path: "/balance", kind: "type" }],
          count: 4,
          share: 0.02,
          exampleId: "ex-2",
        },
        {
          signature: "s-owner",
          fields: [{ path: "/owner/lastName", kind: "value" }],
          count: 10,
          share: 0.05,
          exampleId: "ex-1",
        },
      ],
      noise: [{ path: "/generatedAt", noiseDiffering: 20, noiseCompared: 20, differing: 200, compared: 200 }],
    },
  ],
};
const example: DiffExample = {
  id: "ex-1",
  at: new Date(NOW - 60_000).toISOString(),
  routeId: "accounts-get",
  service: "accounts",
  primary: "legacy",
  method: "GET",
  path: "/accounts/7",
  requestHeaders: { accept: "application/json" },
  requestBody: null,
  requestId: "req-1",
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  signature: "s-owner",
  answers: {
    legacy: {
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"owner":{"lastName":"Smith"}}',
      latencyMs: 2,
    },
    service: {
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"owner":{"lastName":"SMITH"}}',
      latencyMs: 3,
    },
  },
  differences: [{ path: "/owner/lastName", kind: "value", legacy: '"Smith"', service: '"SMITH"' }],
};

/** An in-memory reader that records the queries it answers. */
function fakeResults(answer: DiffReport = report, failure?: Error) {
  const queries: DiffReportQuery[] = [];
  let closed = 0;
  const results: DiffResults = {
    report: async (query) => {
      queries.push(query);
      if (failure) throw failure;
      return answer;
    },
    example: async (id) => (id === example.id ? example : undefined),
    close: async () => void (closed += 1),
  };
  const open: OpenDiffResults = () => results;
  return { open, queries, closed: () => closed };
}

describe("strangler diff", () => {
  let dir: string;
  let configPath: string;
  const io = () => {
    const captured = { out: "", err: "" };
    return {
      captured,
      io: { out: (text: string) => void (captured.out += text), err: (text: string) => void (captured.err += text) },
    };
  };
  const env = (color = false) => loadCliEnvironment({}, dir, dir, color);
  const run = async (args: string[], results = fakeResults(), color = false) => {
    const { captured, io: cliIo } = io();
    let code: number;
    try {
      code = await runDiffCommand(args, env(color), cliIo, results.open);
    } catch (error) {
      return { code: -1, error: error as Error & { code?: string }, ...captured };
    }
    return { code, error: undefined, ...captured };
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-diff-"));
    configPath = path.join(dir, "strangler.config.yaml");
    fs.writeFileSync(configPath, CONFIG("toolkit: { database: postgresql://u:secret@127.0.0.1:1/strangler }\n"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("prints per route the counts, match rate, top signatures with paths and example ids, noise, errors, skipped and latency", async () => {
    const results = fakeResults();
    const { code, out } = await run(["report"], results);
    expect(code).toBe(0);
    expect(out).toContain("accounts-get  GET /accounts/:id  (accounts)");
    expect(out).toMatch(/compared 200 +match rate 93\.0 % +mismatches 14 +noise only 6/);
    expect(out).toMatch(/candidate errors 2 +candidate timeouts 1/);
    expect(out).toContain("skipped concurrency_limit 3");
    expect(out).not.toContain("request_body_too_large");
    expect(out).toMatch(/legacy +2\.5 ms +9\.8 ms +200/);
    expect(out).toMatch(/service +3\.0 ms +11\.0 ms +197/);
    // The most frequent signature first, each with its share and an example to open.
    expect(out).toMatch(/10 +5\.0 % +ex-1 +\/owner\/lastName \(value\)\n.*4 +2\.0 % +ex-2 +\/balance \(type\)/);
    expect(out).toMatch(/\/generatedAt +20\/20 +200\/200/);
    expect(out).not.toContain("\u001b[");
    // The default window is the last hour, and the store is closed after the read.
    expect(results.queries).toHaveLength(1);
    expect(results.queries[0]?.since).toBeGreaterThanOrEqual(NOW - 3_600_000);
    expect(results.queries[0]?.since).toBeLessThan(NOW - 3_590_000);
    expect(results.closed()).toBe(1);
  });

  it("colours the text only when the environment says colours are on", async () => {
    expect((await run(["report"], fakeResults(), true)).out).toContain("\u001b[31m14\u001b[39m");
  });

  it("--json prints the contract's report document", async () => {
    const { out } = await run(["report", "--json"]);
    expect(diffReportSchema.parse(JSON.parse(out))).toEqual(report);
  });

  it("passes --route, --service and --since to the store", async () => {
    const results = fakeResults();
    await run(["report", "--route", "accounts-get", "--since", "15m"], results);
    await run(["report", "--service", "accounts", "--since", "2026-01-01T00:00:00Z"], results);
    expect(results.queries[0]).toMatchObject({ routeId: "accounts-get", service: undefined });
    expect(Math.abs((results.queries[0]?.since ?? 0) - (Date.now() - 900_000))).toBeLessThan(60_000);
    expect(results.queries[1]).toMatchObject({ service: "accounts", since: Date.parse("2026-01-01T00:00:00Z") });
  });

  it.each([
    [["report", "--since", "yesterday"], "STRANGLER_INVALID_SINCE", /--since: 'yesterday' is neither a duration/],
    [["report", "--route", "nope"], "STRANGLER_UNKNOWN_ROUTE", /no route 'nope'.*accounts-get, accounts-create/],
    [["report", "--service", "nope"], "STRANGLER_UNKNOWN_SERVICE", /no service 'nope'/],
    [["report", "--route", "accounts-get", "--service", "accounts"], "STRANGLER_USAGE", /not both/],
    [["report", "--colour"], "STRANGLER_USAGE", /Unknown option '--colour'/],
    [["show"], "STRANGLER_USAGE", /missing <example-id>/],
    [["show", "ex-404"], "STRANGLER_UNKNOWN_EXAMPLE", /no example 'ex-404'/],
    [["frobnicate"], "STRANGLER_USAGE", /unknown command 'diff frobnicate'/],
  ])("%j fails with %s", async (args, code, message) => {
    const { error } = await run(args);
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(message);
  });

  it("without toolkit.database says to set it (the real opener, exit code 2)", async () => {
    fs.writeFileSync(configPath, CONFIG(""));
    const { captured, io: cliIo } = io();
    expect(await runStranglerCli(["diff", "report", "--config", configPath], cliIo, {})).toBe(2);
    expect(captured.err).toContain(`${configPath} has no toolkit.database`);
    expect(captured.err).toContain("Set toolkit.database");
  });

  it("names the database without its password when it cannot be read", async () => {
    const { error } = await run(["report"], fakeResults(report, new Error("connect ECONNREFUSED 127.0.0.1:1")));
    expect(error?.code).toBe("STRANGLER_TOOLKIT_DATABASE_UNREACHABLE");
    expect(error?.message).toContain("postgresql://u:***@127.0.0.1:1/strangler: connect ECONNREFUSED");
    expect(error?.message).not.toContain("secret");
  });

  it("rejects a store answer that is not the contract's document", async () => {
    const broken = { ...report, routes: [{ ...report.routes[0], matchRate: "93%" }] } as unknown as DiffReport;
    const { error } = await run(["report"], fakeResults(broken));
    expect(error?.code).toBe("STRANGLER_TOOLKIT_BAD_RESULT");
    expect(error?.message).toContain("routes[0].matchRate");
  });

  it("says what to do when the window has no results", async () => {
    const { out } = await run(["report"], fakeResults({ ...report, routes: [] }));
    expect(out).toContain("no shadow results in this window");
    expect(out).toContain("--shadow 100");
  });

  it("show prints the request, the differences and both answers; --json the example document", async () => {
    const { code, out } = await run(["show", "ex-1"]);
    expect(code).toBe(0);
    expect(out).toContain("GET /accounts/7");
    expect(out).toMatch(/\/owner\/lastName +value +"Smith" +"SMITH"/);
    expect(out).toMatch(/legacy \(answered the client\): HTTP 200[\s\S]*"lastName": "Smith"/);
    expect(out).toMatch(/service \(candidate\): HTTP 200[\s\S]*"lastName": "SMITH"/);
    expect(JSON.parse((await run(["show", "ex-1", "--json"])).out)).toEqual(example);
  });

  it("has help for diff, diff report and diff show", async () => {
    expect((await run(["--help"])).out).toContain("report [--route <id> | --service <name>]");
    expect((await run(["report", "--help"])).out).toContain("--since <when>");
    expect((await run(["show", "--help"])).out).toContain("Usage: strangler diff show <example-id>");
    expect((await run([])).code).toBe(2);
  });
});
