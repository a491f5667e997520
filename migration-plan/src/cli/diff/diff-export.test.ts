import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DiffExample, DiffReport } from "@strangler/ops-contract";
import { loadCliEnvironment } from "../cli-config";
import { runDiffCommand } from "./diff-command";
import type { DiffResults, OpenDiffResults } from "./diff-results";

const CONFIG = `version: 1
legacy: { name: legacy-app, url: "http://127.0.0.1:1" }
unleash: { url: "http://127.0.0.1:2" }
services:
  - name: accounts
    url: "http://127.0.0.1:3"
    routes:
      reads: [{ id: accounts-get, methods: [GET], path: /accounts/:id }]
toolkit: { database: "postgres://127.0.0.1:4/strangler" }
`;

function example(id: string): DiffExample {
  return {
    id,
    at: new Date().toISOString(),
    routeId: "accounts-get",
    service: "accounts",
    primary: "legacy",
    method: "GET",
    path: `/accounts/${id}`,
    requestHeaders: { accept: "application/json", authorization: "Bearer t0ken" },
    requestBody: null,
    requestId: "r",
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    signature: "value /owner",
    answers: {
      legacy: { status: 200, headers: {}, body: "{}", latencyMs: 1 },
      service: { status: 200, headers: { "set-cookie": "sid=1" }, body: "{}", latencyMs: 1 },
    },
    differences: [],
  };
}

function fakeOpen(exampleIds: Array<string | null>): OpenDiffResults {
  const report: DiffReport = {
    since: new Date().toISOString(),
    until: new Date().toISOString(),
    routes: [
      {
        routeId: "accounts-get",
        service: "accounts",
        compared: 3,
        matches: 0,
        mismatches: 3,
        noiseOnly: 0,
        cdcFirst: 0,
        candidateErrors: 0,
        candidateTimeouts: 0,
        skipped: {},
        matchRate: 0,
        latency: {
          legacy: { count: 0, p50: null, p95: null, p99: null },
          service: { count: 0, p50: null, p95: null, p99: null },
        },
        signatures: exampleIds.map((exampleId, i) => ({
          signature: `s${i}`,
          fields: [],
          count: 1,
          share: 0.3,
          exampleId,
        })),
        noise: [],
      },
    ],
  };
  const results: DiffResults = {
    report: async () => report,
    example: async (id) => (id === "gone" ? undefined : example(id)),
    close: async () => undefined,
  };
  return () => results;
}

describe("strangler diff export", () => {
  let dir: string;
  const run = async (args: string[], open: OpenDiffResults) => {
    const captured = { out: "", err: "" };
    const code = await runDiffCommand(
      ["export", "--config", "c.yaml", ...args],
      loadCliEnvironment({}, dir, __dirname, false),
      { out: (t) => void (captured.out += t), err: (t) => void (captured.err += t) },
      open,
    );
    return { code, ...captured };
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "diff-export-"));
    fs.writeFileSync(path.join(dir, "c.yaml"), CONFIG);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes one corpus file per kept example, up to --limit, skipping pruned ones, without credentials", async () => {
    const { code, out } = await run(
      ["--route", "accounts-get", "--out", "corpus", "--limit", "2", "--json"],
      fakeOpen(["e1", null, "gone", "e2", "e3"]),
    );
    expect(code).toBe(0);
    const written = JSON.parse(out) as { files: string[] };
    expect(written.files.map((f) => path.basename(f))).toEqual(["accounts-get-e1.yaml"]);
    const text = fs.readFileSync(path.join(dir, "corpus", "accounts-get-e1.yaml"), "utf8");
    expect(text).toContain("path: /accounts/e1");
    expect(text).not.toMatch(/t0ken|authorization|set-cookie|sid=1/i);
  });

  it("says so when there is nothing to write", async () => {
    const { code, out } = await run(["--route", "accounts-get", "--out", "corpus"], fakeOpen([]));
    expect(code).toBe(0);
    expect(out).toMatch(/no kept shadow examples of accounts-get/);
    expect(fs.existsSync(path.join(dir, "corpus"))).toBe(false);
  });

  it.each([
    [["--out", "x"], /missing --route/],
    [["--route", "accounts-get"], /missing --out/],
    [["--route", "accounts-get", "--out", "x", "--limit", "0"], /--limit must be a positive whole number/],
    [["--route", "nope", "--out", "x"], /no route 'nope' in the migration config \(routes: accounts-get\)/],
  ])("refuses %j with exit code 2", async (args, message) => {
    const error = await run(args, fakeOpen([])).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 2 });
    expect((error as Error).message).toMatch(message);
  });
});
