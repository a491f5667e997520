import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { findRepoRoot } from "../src/config/repo-root";
import { compileRoutes } from "@strangler/migration-config";
import { createUnleashAdmin } from "@strangler/unleash-admin";
import { loadStackMigrationConfig } from "../src/config/migration-config-env";
import { loadStackConfig } from "../src/config/stack-config";
import { readStackSecrets, stackSecretsFile } from "../src/secrets/stack-secrets";
import type { StackStatus } from "../src/stack/stack-lifecycle";
import { isPortFree } from "../src/process/port-check";
import { isProcessAlive } from "../src/process/process-state";
import { withPgClient } from "../src/postgres/pg-client";

// Runs the CLI as a user would, with its own state folder and ports so it never meets a
// developer's stack (54329/4242/4101/4102/4100/4199/4300) or the jest cluster (54339).
const repoRoot = findRepoRoot(__dirname);
const home = path.join(repoRoot, ".strangler", "test-stack");
const ports = {
  postgres: 54349,
  unleash: 4124,
  monolith: 4121,
  "users-service": 4122,
  "catalog-service": 4123,
  proxy: 4120,
  "proxy admin": 4129,
  cdc: 4130,
} as const;
const env = {
  ...process.env,
  STRANGLER_HOME: home,
  STRANGLER_PG_PORT: String(ports.postgres),
  STRANGLER_UNLEASH_PORT: String(ports.unleash),
  STRANGLER_MONOLITH_PORT: String(ports.monolith),
  STRANGLER_USERS_SERVICE_PORT: String(ports["users-service"]),
  STRANGLER_CATALOG_SERVICE_PORT: String(ports["catalog-service"]),
  STRANGLER_PROXY_PORT: String(ports.proxy),
  STRANGLER_PROXY_ADMIN_PORT: String(ports["proxy admin"]),
  STRANGLER_CDC_PORT: String(ports.cdc),
  STRANGLER_HOST: "127.0.0.1",
  STRANGLER_PG_URL: "",
  STRANGLER_CONFIG: "",
  STRANGLER_PROXY_ENTRY: "",
};
const stackConfig = loadStackConfig(env);
// The proxy is started once strangler-proxy ships its entry point; until then `up` skips it.
const proxyExists = fs.existsSync(stackConfig.proxyEntry);
const running = [
  "postgres",
  "unleash",
  "monolith",
  "users-service",
  "catalog-service",
  ...(proxyExists ? ["proxy"] : []),
  "cdc",
];
const STEP_TIMEOUT = 180_000;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function stackWith(cliEnv: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
    execFile(
      tsx,
      ["stack/src/cli/stack-cli.ts", ...args],
      { cwd: repoRoot, env: cliEnv, timeout: STEP_TIMEOUT },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

function stack(...args: string[]): Promise<CliResult> {
  return stackWith(env, ...args);
}

/** The environment of a running process, from /proc. */
function environOf(pid: number): Record<string, string> {
  const entries = fs
    .readFileSync(`/proc/${pid}/environ`, "utf8")
    .split("\0")
    .filter((entry) => entry.includes("="));
  return Object.fromEntries(
    entries.map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]),
  );
}

/** A copy of the example config beside it (its run.cwd paths stay right), with one text replaced. */
function writeConfigCopy(name: string, from: string, to: string): string {
  const original = fs.readFileSync(stackConfig.migrationConfigPath, "utf8");
  const copy = original.replace(from, to);
  if (copy === original) throw new Error(`the example config has no ${from}`);
  const file = path.join(
    path.dirname(stackConfig.migrationConfigPath),
    `strangler.e2e-${name}-${process.pid}.config.yaml`,
  );
  fs.writeFileSync(file, copy);
  return file;
}

async function status(): Promise<StackStatus> {
  const result = await stack("status", "--json");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as StackStatus;
}

function expectSuccess(result: CliResult): void {
  if (result.code !== 0) throw new Error(`stack exited with ${result.code}\n${result.stdout}\n${result.stderr}`);
}

describe("npm run stack (e2e)", () => {
  let pidsWhileUp: number[] = [];

  beforeAll(async () => {
    // A previous run that was killed may have left it up.
    await stack("down");
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await stack("down");
  }, STEP_TIMEOUT);

  it(
    "starts postgres, unleash, the monolith and both services, the proxy and cdc with `up`, and provisions the route flags",
    async () => {
      const result = await stack("up");
      expectSuccess(result);
      expect(result.stdout).toMatch(/postgres\s+(starting… )?(started|already running) \(/);
      expect(result.stdout).toMatch(/db unleash\s+preparing… /);
      expect(result.stdout).toMatch(/unleash\s+starting… started/);
      expect(result.stdout).toMatch(/unleash flags\s+provisioning… 14 flags for 7 routes, (14 created|all present)/);
      expect(result.stdout).toMatch(/monolith\s+starting… started/);
      expect(result.stdout).toMatch(/users-service\s+starting… started/);
      expect(result.stdout).toMatch(/catalog-service\s+starting… started/);
      expect(result.stdout).toMatch(proxyExists ? /proxy\s+starting… started/ : /proxy\s+skipped: /);
      expect(result.stdout).toMatch(/cdc\s+starting… started/);
    },
    STEP_TIMEOUT,
  );

  it("keeps the installation's tokens in a file only the owner can read", () => {
    expect(fs.statSync(stackSecretsFile(home)).mode & 0o777).toBe(0o600);
    expect(readStackSecrets({ home }).unleashAdminToken).toMatch(/^\*:\*\./);
  });

  it("has a serve and a shadow flag at 0 % for every route of the migration config in Unleash", async () => {
    const migration = loadStackMigrationConfig(stackConfig);
    expect(migration.unleash.url).toBe(`http://127.0.0.1:${ports.unleash}`);
    const admin = createUnleashAdmin({
      url: migration.unleash.url,
      token: readStackSecrets({ home }).unleashAdminToken,
      project: "default",
      environment: "development",
    });
    const states = await admin.listRouteFlags(compileRoutes(migration));
    // In the order the proxy matches them: static paths before parameters.
    expect(states.map((state) => state.id)).toEqual([
      "users-list",
      "users-create",
      "products-list",
      "users-get",
      "users-update",
      "users-delete",
      "products-get",
    ]);
    for (const state of states) {
      expect({
        id: state.id,
        exists: state.exists,
        serve: state.serve.strategies,
        shadow: state.shadow.strategies,
      }).toEqual({ id: state.id, exists: true, serve: 1, shadow: 1 });
    }
  });

  it("reports every component healthy with a pid and a log file in `status --json`", async () => {
    const { components } = await status();
    expect(Object.keys(components)).toEqual([
      "postgres",
      "kafka",
      "connect",
      "unleash",
      "monolith",
      "users-service",
      "catalog-service",
      "proxy",
      "cdc",
    ]);
    // The default transport is embedded: Kafka and Connect are listed but not run.
    for (const name of ["kafka", "connect"]) {
      expect({ name, state: components[name]?.state, pid: components[name]?.pid }).toEqual({
        name,
        state: "stopped",
        pid: null,
      });
      expect(components[name]?.detail).toMatch(/transport/);
    }
    for (const [name, component] of Object.entries(components).filter(([name]) => running.includes(name))) {
      expect({ name, healthy: component.healthy }).toEqual({ name, healthy: true });
      expect(typeof component.pid).toBe("number");
      expect(component.log).toBe(path.join(home, "logs", `${name}.log`));
      expect(fs.existsSync(component.log ?? "")).toBe(true);
    }
    expect(components.postgres?.url).toBe(`postgresql://postgres@127.0.0.1:${ports.postgres}/postgres`);
    expect(components.unleash).toMatchObject({
      url: `http://127.0.0.1:${ports.unleash}`,
      detail: expect.stringContaining("admin / unleash4all"),
    });
    expect(components.proxy?.url).toBe(`http://127.0.0.1:${ports.proxy}`);
    if (proxyExists) expect(components.proxy?.detail).toBe(`admin API http://127.0.0.1:${ports["proxy admin"]}`);
    expect(components.cdc?.url).toBe(`http://127.0.0.1:${ports.cdc}`);
    pidsWhileUp = running.map((name) => components[name]?.pid ?? -1);
    expect((await status()).warnings).toEqual([]);
  });

  it("lists the config's apps as managed and its databases as created by the stack", async () => {
    const { components, databases } = await status();
    expect([
      components.monolith?.detail,
      components["users-service"]?.detail,
      components["catalog-service"]?.detail,
    ]).toEqual(["managed", "managed", "managed"]);
    expect(databases).toEqual([
      {
        app: "monolith",
        name: "monolith",
        url: `postgresql://postgres@127.0.0.1:${ports.postgres}/monolith`,
        kind: "created",
        exists: true,
        migrated: true,
      },
      {
        app: "users-service",
        name: "users_service",
        url: `postgresql://postgres@127.0.0.1:${ports.postgres}/users_service`,
        kind: "created",
        exists: true,
        migrated: true,
      },
      {
        app: "catalog-service",
        name: "catalog_service",
        url: `postgresql://postgres@127.0.0.1:${ports.postgres}/catalog_service`,
        kind: "created",
        exists: true,
        migrated: true,
      },
      // The toolkit's own database (toolkit.database: shadow results); its store creates its tables.
      {
        app: "toolkit",
        name: "strangler",
        url: `postgresql://postgres@127.0.0.1:${ports.postgres}/strangler`,
        kind: "created",
        exists: true,
        migrated: false,
      },
    ]);
    expect((await stack("status")).stdout).toMatch(
      /users_service\s+users-service\s+created \+ migrated by the stack\s+yes/,
    );
    expect((await stack("status")).stdout).toMatch(/strangler\s+toolkit\s+created by the stack\s+yes/);
  });

  it("gives a managed app PORT, DATABASE_URL and run.env, and no example variable to anyone", async () => {
    const { components } = await status();
    const monolith = environOf(components.monolith?.pid ?? -1);
    expect(monolith).toMatchObject({
      PORT: String(ports.monolith),
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${ports.postgres}/monolith`,
      LOG_LEVEL: "info",
    });
    const service = environOf(components["users-service"]?.pid ?? -1);
    expect(service.DATABASE_URL).toBe(`postgresql://postgres@127.0.0.1:${ports.postgres}/users_service`);
    const catalog = environOf(components["catalog-service"]?.pid ?? -1);
    expect(catalog).toMatchObject({
      PORT: String(ports["catalog-service"]),
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${ports.postgres}/catalog_service`,
    });
    for (const name of running.filter((component) => component !== "postgres")) {
      const variables = Object.keys(environOf(components[name]?.pid ?? -1)).filter((variable) =>
        /^STRANGLER_(MONOLITH|USERS_SERVICE|CATALOG_SERVICE)_(URL|DATABASE_URL)$/.test(variable),
      );
      expect({ name, variables }).toEqual({ name, variables: [] });
    }
  });

  it("refuses `down` from another config sharing STRANGLER_HOME, naming the owner, and leaves the stack running", async () => {
    const other = writeConfigCopy("other", "appName: strangler-proxy", "appName: strangler-proxy-other");
    try {
      const result = await stackWith({ ...env, STRANGLER_CONFIG: other }, "down");
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`STRANGLER_HOME ${home} belongs to the stack of another checkout or config`);
      expect(result.stderr).toContain(`owner: ${repoRoot} with config ${stackConfig.migrationConfigPath}`);
      const { components } = await status();
      expect(running.map((name) => components[name]?.pid)).toEqual(pidsWhileUp);
    } finally {
      fs.rmSync(other, { force: true });
    }
  });

  it("serves Unleash's health check and web UI on its url", async () => {
    const { components } = await status();
    expect((await fetch(`${components.unleash?.url}/health`)).status).toBe(200);
    const ui = await fetch(`${components.unleash?.url}/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain("<title>");
  });

  it("serves /healthz on each app's url", async () => {
    const { components } = await status();
    for (const name of ["monolith", "users-service", "catalog-service"] as const) {
      expect(components[name]?.url).toBe(`http://127.0.0.1:${ports[name]}`);
      const response = await fetch(`${components[name]?.url}/healthz`);
      expect({ name, status: response.status }).toEqual({ name, status: 200 });
    }
  });

  it("streams monolith → users-service and monolith → catalog-service and reports both on the CDC process's /status", async () => {
    const { components } = await status();
    const response = await fetch(`${components.cdc?.url}/status`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      streams: Array<{ direction: string; phase: string; deadLettered: number }>;
    };
    expect(body.streams).toEqual([
      expect.objectContaining({ direction: "monolith-to-users-service", phase: "streaming", deadLettered: 0 }),
      expect.objectContaining({ direction: "monolith-to-catalog-service", phase: "streaming", deadLettered: 0 }),
    ]);
    expect((await fetch(`${components.cdc?.url}/metrics`)).status).toBe(200);
  });

  it("reports the streams with `npx strangler cdc status --json`", async () => {
    const bin = path.join(repoRoot, "migration-plan", "bin", "strangler.cjs");
    const result = await new Promise<CliResult>((resolve) => {
      execFile(
        process.execPath,
        [bin, "cdc", "status", "--json"],
        { cwd: repoRoot, env, timeout: STEP_TIMEOUT },
        (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
        },
      );
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { cdc: string; streams: Array<Record<string, unknown>> };
    expect(report.cdc).toBe(`http://127.0.0.1:${ports.cdc}`);
    expect(report.streams).toEqual([
      expect.objectContaining({
        direction: "monolith-to-users-service",
        phase: "streaming",
        confirmedLsn: expect.stringMatching(/^[0-9A-F]+\/[0-9A-F]+$/),
        deadLettered: 0,
      }),
      expect.objectContaining({
        direction: "monolith-to-catalog-service",
        phase: "streaming",
        confirmedLsn: expect.stringMatching(/^[0-9A-F]+\/[0-9A-F]+$/),
        deadLettered: 0,
      }),
    ]);
  });

  it(
    "treats a second `up` as harmless",
    async () => {
      const result = await stack("up");
      expectSuccess(result);
      for (const name of running) {
        expect(result.stdout).toMatch(new RegExp(`${name}\\s+starting… already running`));
      }
      expect(result.stdout).toMatch(/unleash flags\s+provisioning… 14 flags for 7 routes, all present/);
      const { components } = await status();
      expect(running.map((name) => components[name]?.pid)).toEqual(pidsWhileUp);
    },
    STEP_TIMEOUT,
  );

  it(
    "shows the other transport's slot as a warning in `status`, and retires it when cdc starts again",
    async () => {
      const monolith = `postgresql://postgres@127.0.0.1:${ports.postgres}/monolith`;
      const slot = "strangler_dbz_users_service";
      // What the Debezium transport leaves in the monolith's database after a switch back to embedded.
      await withPgClient(monolith, async (client) => {
        await client.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [slot]);
        await client.query(`CREATE PUBLICATION ${slot}`);
      });
      const { warnings } = await status();
      expect(warnings).toEqual([
        expect.stringContaining(`cdc.transport is "embedded", but the Debezium connector's replication slot ${slot}`),
      ]);
      const table = await stack("status");
      expect(table.stdout).toContain(
        `warning: cdc.transport is "embedded", but the Debezium connector's replication slot ${slot}`,
      );

      expectSuccess(await stack("down", "cdc"));
      const up = await stack("up", "cdc");
      expectSuccess(up);
      expect(up.stdout).toContain(
        `retired the Debezium transport's replication slot ${slot} and publication ${slot} in monolith`,
      );
      expect((await status()).warnings).toEqual([]);
      const left = await withPgClient(monolith, (client) =>
        client.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", [slot]),
      );
      expect(left.rowCount).toBe(0);
    },
    STEP_TIMEOUT,
  );

  it(
    "stops everything with `down` and leaves no process or port behind",
    async () => {
      expect(pidsWhileUp).toHaveLength(running.length);
      expectSuccess(await stack("down"));
      for (const pid of pidsWhileUp) expect({ pid, alive: isProcessAlive(pid) }).toEqual({ pid, alive: false });
      for (const [name, port] of Object.entries(ports)) {
        expect({ name, free: await isPortFree("127.0.0.1", port) }).toEqual({ name, free: true });
      }
      const { components } = await status();
      for (const component of Object.values(components)) expect(component.healthy).toBe(false);
    },
    STEP_TIMEOUT,
  );

  it("treats `down` as harmless when nothing runs", async () => {
    const result = await stack("down");
    expectSuccess(result);
    expect(result.stdout).toMatch(/postgres\s+stopping… not running/);
  });
});

describe("a copy of the example config with only the legacy url changed (e2e)", () => {
  const seen: string[] = [];
  let echo: http.Server;
  let echoUrl = "";
  let copy = "";
  let copyEnv: NodeJS.ProcessEnv = env;

  beforeAll(async () => {
    echo = http.createServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ echo: true, path: request.url }));
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    copy = writeConfigCopy(
      "echo",
      "url: ${STRANGLER_MONOLITH_URL:-http://127.0.0.1:${STRANGLER_MONOLITH_PORT:-4101}}",
      `url: ${echoUrl}`,
    );
    copyEnv = { ...env, STRANGLER_CONFIG: copy };
  });

  afterAll(async () => {
    await stackWith(copyEnv, "down");
    fs.rmSync(copy, { force: true });
    await new Promise((resolve) => echo.close(resolve));
  }, STEP_TIMEOUT);

  it(
    "sends the proxy's legacy traffic to that url, not to the example monolith",
    async () => {
      expectSuccess(await stackWith(copyEnv, "up", "postgres", "unleash", "proxy"));
      const response = await fetch(`http://127.0.0.1:${ports.proxy}/api/users?limit=1`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ echo: true, path: "/api/users?limit=1" });
      expect(seen).toContain("GET /api/users?limit=1");
      expect(await isPortFree("127.0.0.1", ports.monolith)).toBe(true);
    },
    STEP_TIMEOUT,
  );

  it("lets the default config's `up` fail with the owner named while the copy's stack runs", async () => {
    const result = await stack("up");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`owner: ${repoRoot} with config ${copy}`);
    expect(await isPortFree("127.0.0.1", ports.monolith)).toBe(true);
  });
});
