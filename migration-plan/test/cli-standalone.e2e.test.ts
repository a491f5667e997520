import { execFile, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compileRoutes, loadMigrationConfig } from "@strangler/migration-config";
import { cdcStatusSchema, parseOpsDocument } from "@strangler/ops-contract";
import { freeLoopbackPort, startTestUnleash, stackSecretsFile, type TestUnleash } from "@strangler/stack";
import { createUnleashAdmin, type UnleashAdmin } from "@strangler/unleash-admin";
import type { Client } from "pg";
import { type CdcProcess, startCdcProcess } from "../../cdc/test/support/cdc-process";
import {
  connect,
  dropReplicationOrigin,
  dropSlotsWithPublications,
  eventually,
} from "../../cdc/test/support/embedded-source-fixture";
import { sinkReplicationOrigin } from "../../cdc/src/sink/create-sink";
import { cdcSlotName } from "../../cdc/src/slots/slot-names";
import { createEmptyTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";

// The `strangler` CLI as an install without the stack package would run it: bin/strangler.cjs under
// a module-resolution hook that makes @strangler/stack (with unleash-server and embedded PostgreSQL)
// and the example apps impossible to load. It talks to a real Unleash and a real CDC process, driven
// by a migration config of its own (no example table, app or port), with the tokens in the local
// stack's tokens file.
const bin = path.join(__dirname, "..", "bin", "strangler.cjs");
const forbidStack = path.join(__dirname, "support", "forbid-stack.cjs");
const CLI_TIMEOUT = 60_000;
const SERVICE = `ledger-svc-${randomBytes(3).toString("hex")}`;
const DIRECTION = `ledger-to-${SERVICE}`;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const TABLE =
  "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())";

describe("the strangler CLI without the stack package (e2e: real Unleash, real CDC process)", () => {
  let unleash: TestUnleash;
  let admin: UnleashAdmin;
  let legacy: TestDatabase;
  let target: TestDatabase;
  let legacyClient: Client;
  let targetClient: Client;
  let cdc: CdcProcess | undefined;
  let dir: string;
  let configFile: string;
  let cdcPort: number;
  let env: NodeJS.ProcessEnv;

  function strangler(args: string[]): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ["--require", forbidStack, bin, ...args],
        { cwd: dir, env, timeout: CLI_TIMEOUT },
        (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
        },
      );
    });
  }

  beforeAll(async () => {
    [unleash, legacy, target] = await Promise.all([
      startTestUnleash(),
      createEmptyTestDatabase("cli_ledger"),
      createEmptyTestDatabase("cli_accounts"),
    ]);
    [legacyClient, targetClient] = await Promise.all([connect(legacy.url), connect(target.url)]);
    await Promise.all([legacyClient.query(TABLE), targetClient.query(TABLE)]);
    await legacyClient.query(
      "INSERT INTO accounts (id, email) VALUES (1, 'a@example.test'), (2, 'b@example.test'), (3, 'c@example.test')",
    );
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-cli-standalone-"));
    cdcPort = await freeLoopbackPort();
    const closedAdminPort = await freeLoopbackPort();
    configFile = path.join(dir, "ledger.config.yaml");
    fs.writeFileSync(
      configFile,
      `version: 1
legacy: { name: ledger, url: "http://127.0.0.1:1", database: "${legacy.url}" }
proxy: { admin: { host: 127.0.0.1, port: ${closedAdminPort} } }
unleash: { url: "${unleash.url}" }
services:
  - name: ${SERVICE}
    url: "http://127.0.0.1:2"
    routes:
      reads: [{ id: accounts-list, methods: [GET], path: /accounts }, { id: accounts-get, methods: [GET], path: /accounts/:id }]
      writes: [{ id: accounts-create, methods: [POST], path: /accounts }]
    data:
      database: "${target.url}"
      tables:
        - { source: accounts, target: accounts, key: { id: id }, columns: { email: email, updated_at: updated_at } }
cdc: { listen: { host: 127.0.0.1, port: ${cdcPort} } }
`,
    );
    admin = createUnleashAdmin({
      url: unleash.url,
      token: unleash.adminToken,
      project: "default",
      environment: "development",
    });
    await admin.ensureRouteFlags(compileRoutes(loadMigrationConfig(configFile, {})));
    // The local stack's tokens file, at the path and in the format the stack writes it.
    const home = path.join(dir, "home");
    const tokens = {
      version: 1,
      unleashAdminToken: unleash.adminToken,
      unleashClientToken: unleash.clientToken,
      proxyAdminToken: randomBytes(16).toString("hex"),
    };
    fs.mkdirSync(path.dirname(stackSecretsFile(home)), { recursive: true, mode: 0o700 });
    fs.writeFileSync(stackSecretsFile(home), JSON.stringify(tokens), { mode: 0o600 });
    env = { PATH: process.env.PATH, STRANGLER_HOME: home };
  }, 180_000);

  afterAll(async () => {
    await cdc?.kill9();
    if (legacyClient) await dropSlotsWithPublications(legacyClient, [cdcSlotName(SERVICE)]);
    if (targetClient) await dropReplicationOrigin(targetClient, sinkReplicationOrigin(DIRECTION));
    await Promise.all([legacyClient?.end(), targetClient?.end()]);
    await Promise.all([legacy?.drop(), target?.drop(), unleash?.stop()]);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("runs under a hook that really forbids the stack", () => {
    const run = spawnSync(process.execPath, ["--require", forbidStack, "-e", 'require("@strangler/stack")'], {
      cwd: path.join(__dirname, ".."),
      encoding: "utf8",
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("Cannot find module '@strangler/stack' (forbidden by");
  });

  it("prints its version and its help", async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as {
      version: string;
    };
    const [version, help] = await Promise.all([strangler(["--version"]), strangler(["--help"])]);
    expect(version).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: "" });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: strangler <command>/);
    expect(help.stderr).toBe("");
  });

  it("lists the routes' flags from a real Unleash with the tokens file's admin token, the proxy being absent", async () => {
    await admin.setServeRollout("accounts-get", 30);
    const result = await strangler(["flags", "list", "--json", "--config", configFile]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const listing = JSON.parse(result.stdout) as {
      routes: Array<{ id: string; serve: { rollout: number | null } }>;
      proxy: { reachable: boolean; error: string };
    };
    expect(listing.routes.map((route) => [route.id, route.serve.rollout])).toEqual([
      ["accounts-list", 0],
      ["accounts-get", 30],
      ["accounts-create", 0],
    ]);
    expect(listing.proxy).toMatchObject({ reachable: false, error: expect.stringContaining("ECONNREFUSED") });
  });

  it("sets a service's reads in a real Unleash (flags set --service … --reads)", async () => {
    const result = await strangler([
      "flags",
      "set",
      "--service",
      SERVICE,
      "--reads",
      "--serve",
      "40",
      "--timeout",
      "0",
      "--config",
      configFile,
    ]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(
      "accounts-list: serve 0% → 40% (in Unleash; not waiting for the proxy)\naccounts-get: serve 30% → 40% (in Unleash; not waiting for the proxy)\n",
    );
    const states = await admin.listRouteFlags(compileRoutes(loadMigrationConfig(configFile, {})));
    expect(Object.fromEntries(states.map((state) => [state.id, state.serve.rollout]))).toEqual({
      "accounts-list": 40,
      "accounts-get": 40,
      "accounts-create": 0,
    });
  });

  it("finds the CDC process where the config's cdc.listen says and shows its position, lag and counters", async () => {
    cdc = await startCdcProcess({ config: configFile, monolithUrl: legacy.url, serviceUrl: target.url, port: cdcPort });
    await cdc.waitReady();
    await legacyClient.query("INSERT INTO accounts (id, email) VALUES (4, 'd@example.test')");
    await eventually(
      "the live insert applied",
      async () => (await targetClient.query("SELECT 1 FROM accounts WHERE id = 4")).rowCount === 1,
      30_000,
    );

    const json = await strangler(["cdc", "status", "--json", "--config", configFile]);
    expect(json.stderr).toBe("");
    expect(json.code).toBe(0);
    const reported = JSON.parse(json.stdout) as { cdc: string; streams: unknown; warnings: unknown };
    expect(reported.cdc).toBe(`http://127.0.0.1:${cdcPort}`);
    const status = parseOpsDocument(
      cdcStatusSchema,
      { streams: reported.streams, warnings: reported.warnings },
      { document: "the CDC status", source: "strangler cdc status --json" },
    );
    expect(status.streams).toEqual([
      expect.objectContaining({
        direction: DIRECTION,
        transport: "embedded",
        phase: "streaming",
        applied: 4,
        deadLettered: 0,
      }),
    ]);
    expect(status.streams[0]?.lagSeconds).toEqual(expect.any(Number));
    expect(status.streams[0]?.confirmedLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);

    const table = await strangler(["cdc", "status", "--config", configFile]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      new RegExp(`${DIRECTION}\\s+embedded\\s+streaming\\s+[0-9A-F]+/[0-9A-F]+\\s+\\d+ ms\\s+4\\s+0\\s`),
    );
  }, 120_000);
});
