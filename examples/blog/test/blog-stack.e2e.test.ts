import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compileRoutes } from "@strangler/migration-config";
import {
  type StackStatus,
  freeLoopbackPort,
  isProcessGroupRunning,
  loadStackMigrationConfig,
  readStackSecrets,
} from "@strangler/stack";
import { createUnleashAdmin } from "@strangler/unleash-admin";
import { loadStackConfig } from "../../../stack/src/config/stack-config";
import { isPortFree } from "../../../stack/src/process/port-check";
import { isProcessAlive } from "../../../stack/src/process/process-state";
import { signToken } from "../src";

// The stack CLI on the blog's migration config (examples/blog/strangler.config.yaml), as a user runs
// it: `npm run stack -- up / status / down` with STRANGLER_CONFIG pointing at the blog, its own
// STRANGLER_HOME in a temp folder and ports of its own. The stack knows the blog only from that file:
// its two apps are managed through their `run` blocks, its databases created and migrated.
const repoRoot = path.join(__dirname, "..", "..", "..");
const CONFIG = path.join(__dirname, "..", "strangler.config.yaml");
const SECRET = "blog-stack-e2e-secret-0123456789";
const STEP_TIMEOUT = 240_000;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-blog-stack-"));
// PostgreSQL runs as the `postgres` user when the tests run as root: it must be able to enter the folder.
fs.chmodSync(home, 0o755);
let env: NodeJS.ProcessEnv = {};
let ports: Record<string, number> = {};

function stack(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    // What `npm run stack --` runs, without its install check (as stack/test/stack-cli.e2e.test.ts does).
    const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
    execFile(
      tsx,
      ["stack/src/cli/stack-cli.ts", ...args],
      { cwd: repoRoot, env, timeout: STEP_TIMEOUT },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

function expectSuccess(result: CliResult): void {
  if (result.code !== 0) throw new Error(`stack exited with ${result.code}\n${result.stdout}\n${result.stderr}`);
}

async function status(): Promise<StackStatus> {
  const result = await stack("status", "--json");
  expectSuccess(result);
  return JSON.parse(result.stdout) as StackStatus;
}

const authorization = (userId: number) => `Token ${signToken({ user: { id: userId } }, SECRET)}`;

async function throughProxy(
  method: string,
  pathname: string,
  body?: unknown,
): Promise<{ status: number; backend: string | null; body: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${ports.proxy}${pathname}`, {
    method,
    headers: { authorization: authorization(1), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    backend: response.headers.get("x-strangler-backend"),
    body: (await response.json()) as Record<string, unknown>,
  };
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("npm run stack on the blog's migration config (e2e)", () => {
  let pidsWhileUp: number[] = [];

  beforeAll(async () => {
    const names = ["postgres", "unleash", "blog", "blog-service", "proxy", "proxy admin", "cdc"];
    const free: number[] = [];
    for (const _ of names) free.push(await freeLoopbackPort());
    ports = Object.fromEntries(names.map((name, i) => [name, free[i] as number]));
    env = {
      ...process.env,
      STRANGLER_HOME: home,
      STRANGLER_CONFIG: CONFIG,
      STRANGLER_PG_PORT: String(ports.postgres),
      STRANGLER_UNLEASH_PORT: String(ports.unleash),
      STRANGLER_HOST: "127.0.0.1",
      STRANGLER_PG_URL: "",
      STRANGLER_PROXY_ENTRY: "",
      STRANGLER_CDC_TRANSPORT: "embedded",
      // The blog config's own variables: where its apps, proxy and CDC process listen.
      BLOG_LEGACY_URL: `http://127.0.0.1:${ports.blog}`,
      BLOG_SERVICE_URL: `http://127.0.0.1:${ports["blog-service"]}`,
      BLOG_PROXY_PORT: String(ports.proxy),
      BLOG_PROXY_ADMIN_PORT: String(ports["proxy admin"]),
      BLOG_CDC_PORT: String(ports.cdc),
      BLOG_TOKEN_SECRET: SECRET,
    };
    // The databases as the config defaults them: on the stack's PostgreSQL.
    delete env.BLOG_LEGACY_DATABASE_URL;
    delete env.BLOG_SERVICE_DATABASE_URL;
  });

  afterAll(async () => {
    await stack("down");
    fs.rmSync(home, { recursive: true, force: true });
  }, STEP_TIMEOUT);

  it(
    "starts postgres, unleash, both blog apps, the proxy and cdc with `up`",
    async () => {
      const result = await stack("up");
      expectSuccess(result);
      expect(result.stdout).toMatch(/blog\s+starting… started/);
      expect(result.stdout).toMatch(/blog-service\s+starting… started/);
      expect(result.stdout).toMatch(/proxy\s+starting… started/);
      expect(result.stdout).toMatch(/cdc\s+starting… started/);
      // Nothing of the worked example.
      expect(result.stdout).not.toMatch(
        /^(db )?(monolith|users-service|users_service|catalog-service|catalog_service)\s/m,
      );
    },
    STEP_TIMEOUT,
  );

  it("lists the blog's apps (managed, healthy) and its databases (created + migrated) in `status --json`", async () => {
    const { components, databases, warnings } = await status();
    expect(Object.keys(components)).toEqual([
      "postgres",
      "kafka",
      "connect",
      "unleash",
      "blog",
      "blog-service",
      "proxy",
      "cdc",
    ]);
    for (const name of ["blog", "blog-service"] as const) {
      expect({
        name,
        url: components[name]?.url,
        detail: components[name]?.detail,
        healthy: components[name]?.healthy,
      }).toEqual({
        name,
        url: `http://127.0.0.1:${ports[name]}`,
        detail: "managed",
        healthy: true,
      });
      expect(components[name]?.log).toBe(path.join(home, "logs", `${name}.log`));
    }
    for (const name of ["postgres", "unleash", "proxy", "cdc"])
      expect({ name, healthy: components[name]?.healthy }).toEqual({ name, healthy: true });
    expect(components.proxy?.url).toBe(`http://127.0.0.1:${ports.proxy}`);
    expect(components.cdc?.url).toBe(`http://127.0.0.1:${ports.cdc}`);
    expect(databases).toEqual([
      {
        app: "blog",
        name: "blog",
        url: `postgresql://postgres@127.0.0.1:${ports.postgres}/blog`,
        kind: "created",
        exists: true,
        migrated: true,
      },
      {
        app: "blog-service",
        name: "blog_service",
        url: `postgresql://postgres@127.0.0.1:${ports.postgres}/blog_service`,
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
    expect(warnings).toEqual([]);
    pidsWhileUp = ["postgres", "unleash", "blog", "blog-service", "proxy", "cdc"].map(
      (name) => components[name]?.pid ?? -1,
    );
    expect(pidsWhileUp.every((pid) => pid > 0)).toBe(true);
    expect((await stack("status")).stdout).toMatch(
      /blog_service\s+blog-service\s+created \+ migrated by the stack\s+yes/,
    );
  });

  it(
    "sends a request through the proxy to the blog, and at 100 % to the blog service, which has the user by CDC",
    async () => {
      const created = await throughProxy("POST", "/api/users", {
        email: `stack-${process.pid}@blog.test`,
        name: "Through The Proxy",
      });
      expect({ status: created.status, backend: created.backend }).toEqual({ status: 201, backend: "blog" });
      const id = created.body.id as number;
      expect(await throughProxy("GET", `/api/users/${id}`)).toMatchObject({
        status: 200,
        backend: "blog",
        body: { id, email: `stack-${process.pid}@blog.test` },
      });

      const migration = loadStackMigrationConfig(loadStackConfig(env));
      const secrets = readStackSecrets({ home });
      const admin = createUnleashAdmin({
        url: migration.unleash.url,
        token: secrets.unleashAdminToken,
        project: "default",
        environment: "development",
      });
      expect((await admin.listRouteFlags(compileRoutes(migration))).map((flag) => flag.id).sort()).toEqual([
        "blog-posts-list",
        "blog-users-create",
        "blog-users-get",
      ]);
      await admin.setServeRollout("blog-users-get", 100);
      const moved = await eventually(
        "GET /api/users/:id answered by the blog service with the user CDC copied",
        async () => {
          const response = await throughProxy("GET", `/api/users/${id}`);
          return response.backend === "blog-service" && response.status === 200 ? response : undefined;
        },
      );
      expect(moved.body).toMatchObject({ id, email: `stack-${process.pid}@blog.test`, name: "Through The Proxy" });
    },
    STEP_TIMEOUT,
  );

  it(
    "stops everything with `down` and leaves no process or port behind",
    async () => {
      expectSuccess(await stack("down"));
      for (const pid of pidsWhileUp)
        expect({ pid, alive: isProcessAlive(pid), group: isProcessGroupRunning(pid) }).toEqual({
          pid,
          alive: false,
          group: false,
        });
      for (const [name, port] of Object.entries(ports))
        expect({ name, free: await isPortFree("127.0.0.1", port) }).toEqual({ name, free: true });
      const { components } = await status();
      for (const [name, component] of Object.entries(components))
        expect({ name, healthy: component.healthy }).toEqual({ name, healthy: false });
    },
    STEP_TIMEOUT,
  );
});
