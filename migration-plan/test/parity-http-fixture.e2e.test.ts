import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { type DiffExample, httpParityReportSchema, type HttpParityReport } from "@strangler/ops-contract";
import { createPgShadowResultStore } from "@strangler/toolkit-store";
import { XMLParser } from "fast-xml-parser";
import pino from "pino";
import { createEmptyTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { loadCliEnvironment } from "../src/cli/cli-config";
import { CliError } from "../src/cli/cli-error";
import { runDiffCommand } from "../src/cli/diff/diff-command";
import { type OpenLearntNoise, runParityHttpCommand } from "../src/cli/parity/parity-http-command";
import { learntNoiseOf, NO_LEARNT_NOISE } from "../src/parity/http/learnt-noise";

// `strangler parity http` on a neutral fixture: two tiny "things" APIs of the test's own (a legacy
// one, and a service that answers the reads at /v2/items/:id), a config and a corpus written here.
// What the toolkit does: the config's and the case's ignore rules, learnt noise, writes skipped
// without dry-run and sent as dry runs with it, the exit codes, the JUnit file, and `diff export`
// from a real toolkit database feeding the same replay.

interface Variant {
  upperNames: boolean;
  /** Each answer of GET /things/:id carries a random /requestedAt (noise). */
  noisy: boolean;
}

interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const THINGS = [
  { id: "1", name: "Anvil", colour: "black" },
  { id: "2", name: "Bucket", colour: "red" },
  { id: "3", name: "Crate", colour: "brown" },
];

function thingsApi(side: "legacy" | "service", variant: Variant, received: Recorded[]): http.RequestListener {
  const itemPath = side === "legacy" ? /^\/things\/([^/?]+)$/ : /^\/v2\/items\/([^/?]+)$/;
  return (req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const send = (status: number, json: unknown) => {
        if (req.headers["x-strangler-dry-run"] === "1") res.setHeader("x-strangler-dry-run", "1");
        res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(json));
      };
      const present = (thing: (typeof THINGS)[number]) => ({
        id: thing.id,
        name: side === "service" && variant.upperNames ? thing.name.toUpperCase() : thing.name,
        // The service has item 3's colour wrong: the case about it ignores /colour.
        colour: side === "service" && thing.id === "3" ? "BROWN" : thing.colour,
        ...(variant.noisy ? { requestedAt: `${Date.now()}-${Math.random()}` } : {}),
      });
      const url = req.url ?? "/";
      const item = itemPath.exec(url);
      if (req.method === "GET" && url === "/things")
        return send(200, { items: THINGS.map((t) => ({ id: t.id, name: present(t).name })), generatedAt: Date.now() });
      if (req.method === "GET" && item) {
        const thing = THINGS.find((t) => t.id === item[1]);
        return thing ? send(200, present(thing)) : send(404, { error: { code: "NOT_FOUND" } });
      }
      if (req.method === "POST" && url === "/things") {
        const input = JSON.parse(body) as { name: string };
        return send(201, { id: `${side}-${Math.random()}`, name: input.name });
      }
      send(404, { error: { code: "NO_ROUTE" } });
    });
  };
}

async function listen(listener: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const CORPUS: Record<string, string> = {
  "things/list.yaml": "method: GET\npath: /things\nheaders: { accept: application/json }\n",
  "things/get.yaml": "name: thing by id\nmethod: GET\npath: /things/1\nexpect: { status: 200 }\n",
  "things/missing.json": JSON.stringify({ method: "GET", path: "/things/999", expect: { status: 404 } }),
  "things/colour.yaml": "method: GET\npath: /things/3\ncompare: { ignore: [/colour] }\n",
  "things/create.yaml": "method: POST\npath: /things\nbody: { name: Drum }\nexpect: { status: 201 }\n",
};

describe("strangler parity http on a neutral fixture", () => {
  const variant: Variant = { upperNames: false, noisy: false };
  const received: Record<"legacy" | "service", Recorded[]> = { legacy: [], service: [] };
  let legacy: Awaited<ReturnType<typeof listen>>;
  let service: Awaited<ReturnType<typeof listen>>;
  let dir: string;

  beforeAll(async () => {
    legacy = await listen(thingsApi("legacy", variant, received.legacy));
    service = await listen(thingsApi("service", variant, received.service));
  });
  afterAll(async () => {
    await legacy?.close();
    await service?.close();
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "parity-http-"));
    for (const [file, text] of Object.entries(CORPUS)) {
      fs.mkdirSync(path.dirname(path.join(dir, "parity-corpus", file)), { recursive: true });
      fs.writeFileSync(path.join(dir, "parity-corpus", file), text);
    }
    Object.assign(variant, { upperNames: false, noisy: false });
    received.legacy.length = 0;
    received.service.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function writeConfig(options: { legacyDryRun?: boolean; serviceUrl?: string; toolkit?: string } = {}) {
    fs.writeFileSync(
      path.join(dir, "strangler.config.yaml"),
      [
        "version: 1",
        `legacy: { name: legacy-app, url: "${legacy.url}", dryRun: ${options.legacyDryRun ?? false} }`,
        'unleash: { url: "http://127.0.0.1:9" }',
        "services:",
        "  - name: things-service",
        `    url: "${options.serviceUrl ?? service.url}"`,
        "    dryRun: true",
        "    compare: { ignore: [/generatedAt] }",
        "    routes:",
        "      reads:",
        "        - { id: things-list, methods: [GET], path: /things }",
        "        - { id: things-get, methods: [GET], path: /things/:id, servicePath: /v2/items/:id }",
        "      writes:",
        "        - { id: things-create, methods: [POST], path: /things, compare: { ignore: [/id] } }",
        ...(options.toolkit ? ["toolkit:", `  database: "${options.toolkit}"`] : []),
      ].join("\n"),
    );
  }

  async function run(args: string[] = [], openNoise?: OpenLearntNoise) {
    const captured = { out: "", err: "" };
    const io = { out: (t: string) => void (captured.out += t), err: (t: string) => void (captured.err += t) };
    const env = loadCliEnvironment({}, dir, __dirname, false);
    const code = await runParityHttpCommand(
      ["--config", "strangler.config.yaml", ...args],
      env,
      io,
      openNoise ?? (async () => ({ noise: NO_LEARNT_NOISE, state: "not-configured" })),
    );
    return { code, ...captured };
  }

  const json = (out: string): HttpParityReport => httpParityReportSchema.parse(JSON.parse(out));

  it("passes when both sides agree under the config's and the case's ignores, and skips writes without legacy.dryRun", async () => {
    writeConfig();
    const { code, out } = await run(["--junit", "reports/parity.xml"]);
    expect(code).toBe(0);
    expect(out).toMatch(/5 cases: 4 passed, 0 failed, 1 skipped, 0 errors/);
    expect(out).toMatch(/SKIP +POST \/things[\s\S]*legacy\.dryRun is not true in the migration config/);
    expect(received.legacy.concat(received.service).some((r) => r.method === "POST")).toBe(false);
    // The service gets its own path for the route (servicePath), the query kept.
    expect(received.service.map((r) => r.url)).toEqual(
      expect.arrayContaining(["/v2/items/1", "/v2/items/999", "/things"]),
    );
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" });
    const junit = parser.parse(fs.readFileSync(path.join(dir, "reports/parity.xml"), "utf8"));
    expect(junit.testsuites).toMatchObject({ tests: "5", failures: "0", errors: "0", skipped: "1" });
  });

  it("sends writes as dry runs to both sides when both support it", async () => {
    writeConfig({ legacyDryRun: true });
    const { code, out } = await run(["--json"]);
    expect(code).toBe(0);
    const report = json(out);
    expect(report.counts).toEqual({ cases: 5, passed: 5, failed: 0, skipped: 0, errors: 0 });
    const create = report.cases.find((c) => c.routeId === "things-create");
    expect(create).toMatchObject({ outcome: "passed", dryRun: true });
    expect(create?.answers.legacy).toMatchObject({ status: 201, dryRunConfirmed: true });
    for (const side of ["legacy", "service"] as const) {
      const post = received[side].find((r) => r.method === "POST");
      expect(post?.headers).toMatchObject({ "x-strangler-dry-run": "1", "x-strangler-shadow": "1" });
      expect(JSON.parse(post?.body ?? "")).toEqual({ name: "Drum" });
    }
    expect(report.warnings).toEqual([]);
  });

  it("fails with exit 1 naming the field path when the service answers differently", async () => {
    writeConfig();
    variant.upperNames = true;
    const text = await run(["--junit", "parity.xml"]);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/FAIL +GET \/things\/1[\s\S]*\/name value: legacy "Anvil", things-service "ANVIL"/);
    const report = json((await run(["--json"])).out);
    expect(report.counts).toMatchObject({ failed: 3, passed: 1, skipped: 1 });
    const list = report.cases.find((c) => c.routeId === "things-list");
    expect(list?.differences.map((d) => d.path)).toEqual(["/items/0/name", "/items/1/name", "/items/2/name"]);
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(
      fs.readFileSync(path.join(dir, "parity.xml"), "utf8"),
    );
    expect(junit.testsuites).toMatchObject({ tests: "5", failures: "3" });
  });

  it("does not fail on a field learnt as noise, and does with --ignore-learnt-noise", async () => {
    writeConfig();
    variant.noisy = true;
    const noisy = { path: "/requestedAt", noiseDiffering: 40, noiseCompared: 40, differing: 40, compared: 40 };
    const openNoise: OpenLearntNoise = async () => ({
      noise: learntNoiseOf([{ routeId: "things-get", ...noisy }]),
      state: "used",
    });
    const withNoise = await run(["--json"], openNoise);
    expect(withNoise.code).toBe(0);
    const report = json(withNoise.out);
    expect(report.learntNoise).toBe("used");
    expect(report.cases.find((c) => c.file === "things/get.yaml")?.noise.map((d) => d.path)).toEqual(["/requestedAt"]);
    const strict = await run(["--ignore-learnt-noise"], openNoise);
    expect(strict.code).toBe(1);
    expect(strict.out).toMatch(/\/requestedAt value/);
  });

  it("warns and goes on without learnt noise when the toolkit database cannot be reached", async () => {
    writeConfig({ toolkit: "postgresql://strangler@127.0.0.1:1/strangler" });
    const captured = { out: "", err: "" };
    const code = await runParityHttpCommand(
      ["--config", "strangler.config.yaml", "--json"],
      loadCliEnvironment({}, dir, __dirname, false),
      { out: (t) => void (captured.out += t), err: (t) => void (captured.err += t) },
    );
    expect(code).toBe(0);
    const report = json(captured.out);
    expect(report.learntNoise).toBe("unavailable");
    expect(report.warnings).toEqual([
      expect.stringMatching(/^learnt noise not used: the toolkit database .*127\.0\.0\.1:1/),
    ]);
  });

  it("reports an unreachable service as an error with exit 1", async () => {
    const closed = await listen(() => undefined);
    await closed.close();
    writeConfig({ serviceUrl: closed.url });
    const { code, out } = await run();
    expect(code).toBe(1);
    expect(out).toMatch(
      /ERROR +GET \/things\/1[\s\S]*things-service: GET http:\/\/127\.0\.0\.1:\d+\/v2\/items\/1 failed/,
    );
    expect(out).toMatch(/0 passed, 0 failed, 1 skipped, 4 errors/);
  });

  it("refuses a case whose path matches no route, naming the file (exit 2), before sending anything", async () => {
    writeConfig();
    fs.writeFileSync(path.join(dir, "parity-corpus", "stray.yaml"), "method: GET\npath: /elsewhere/1\n");
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ code: "STRANGLER_BAD_CORPUS", exitCode: 2 });
    expect((error as Error).message).toMatch(/corpus file stray\.yaml: GET \/elsewhere\/1 is not a route/);
    fs.writeFileSync(path.join(dir, "parity-corpus", "stray.yaml"), "method: DELETE\npath: /things/1\n");
    await expect(run()).rejects.toThrow(/its path is taken by things-get \(GET\), not for DELETE/);
    expect(received.legacy).toEqual([]);
  });

  it("answers --help and refuses unknown options with the usage (exit 2)", async () => {
    writeConfig();
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: strangler parity http/);
    await expect(run(["--bogus"])).rejects.toMatchObject({ exitCode: 2 });
    await expect(run(["--timeout", "soon"])).rejects.toThrow(/--timeout must be a positive number/);
  });

  describe("with cases exported from a real toolkit database", () => {
    let toolkit: TestDatabase;
    beforeAll(async () => {
      toolkit = await createEmptyTestDatabase("parity_http_toolkit");
    });
    afterAll(async () => {
      await toolkit?.drop();
    });

    it("exports kept shadow examples without credentials, and the replay finds the same difference", async () => {
      const at = Date.now() - 60_000;
      const example: DiffExample = {
        id: "things-example-1",
        at: new Date(at).toISOString(),
        routeId: "things-get",
        service: "things-service",
        primary: "legacy",
        method: "GET",
        path: "/things/2",
        requestHeaders: { accept: "application/json", authorization: "Bearer hunter2", cookie: "sid=s3cret" },
        requestBody: null,
        requestId: "req-1",
        traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
        signature: "value /name",
        answers: {
          legacy: { status: 200, headers: {}, body: '{"name":"Bucket"}', latencyMs: 1 },
          service: { status: 200, headers: { "set-cookie": "sid=s3cret" }, body: '{"name":"BUCKET"}', latencyMs: 1 },
        },
        differences: [{ path: "/name", kind: "value", legacy: '"Bucket"', service: '"BUCKET"' }],
      };
      const store = createPgShadowResultStore(toolkit.url, {
        retention: { days: 7, examplesPerSignature: 5 },
        logger: pino({ level: "silent" }),
      });
      await store.write({
        minutes: [
          {
            minute: Math.floor(at / 60_000) * 60_000,
            routeId: "things-get",
            service: "things-service",
            compared: 1,
            matches: 0,
            mismatches: 1,
            noiseOnly: 0,
            cdcFirst: 0,
            candidateErrors: 0,
            candidateTimeouts: 0,
            skipped: {},
            signatures: [{ signature: "value /name", fields: [{ path: "/name", kind: "value" }], count: 1 }],
            latency: { legacy: [], service: [] },
          },
        ],
        noise: [],
        examples: [example],
      });
      await store.close();
      writeConfig({ toolkit: toolkit.url });
      const captured = { out: "", err: "" };
      const io = { out: (t: string) => void (captured.out += t), err: (t: string) => void (captured.err += t) };
      const env = loadCliEnvironment({}, dir, __dirname, false);
      const exported = await runDiffCommand(
        ["export", "--config", "strangler.config.yaml", "--route", "things-get", "--out", "exported", "--since", "1h"],
        env,
        io,
      );
      expect(exported).toBe(0);
      expect(captured.out).toMatch(/wrote 1 corpus case of things-get/);
      const file = path.join(dir, "exported", "things-get-things-example-1.yaml");
      const text = fs.readFileSync(file, "utf8");
      expect(text).not.toMatch(/hunter2|s3cret|authorization|cookie/i);

      variant.upperNames = true;
      const replay = await run(["--corpus", "exported", "--json"]);
      expect(replay.code).toBe(1);
      const report = json(replay.out);
      expect(report.learntNoise).toBe("not-configured");
      expect(report.cases).toEqual([
        expect.objectContaining({
          routeId: "things-get",
          outcome: "failed",
          differences: [expect.objectContaining({ path: "/name" })],
        }),
      ]);
      variant.upperNames = false;
      expect((await run(["--corpus", "exported"])).code).toBe(0);
    });
  });
});
