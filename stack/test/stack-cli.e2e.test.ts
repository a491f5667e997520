import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { findRepoRoot } from "../src/config/repo-root";
import type { StackStatus } from "../src/stack/stack-lifecycle";
import { isPortFree } from "../src/process/port-check";
import { isProcessAlive } from "../src/process/process-state";

// Runs the CLI as a user would, with its own state folder and ports so it never meets a
// developer's stack (54329/4101/4102) or the jest cluster (54339).
const repoRoot = findRepoRoot(__dirname);
const home = path.join(repoRoot, ".strangler", "test-stack");
const ports = { postgres: 54349, monolith: 4121, "users-service": 4122 } as const;
const env = {
  ...process.env,
  STRANGLER_HOME: home,
  STRANGLER_PG_PORT: String(ports.postgres),
  STRANGLER_MONOLITH_PORT: String(ports.monolith),
  STRANGLER_USERS_SERVICE_PORT: String(ports["users-service"]),
  STRANGLER_HOST: "127.0.0.1",
  STRANGLER_PG_URL: "",
};
const STEP_TIMEOUT = 180_000;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function stack(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
    execFile(tsx, ["stack/src/cli/stack-cli.ts", ...args], { cwd: repoRoot, env, timeout: STEP_TIMEOUT }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
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
    "starts postgres and both apps with `up`",
    async () => {
      const result = await stack("up");
      expectSuccess(result);
      expect(result.stdout).toMatch(/postgres\s+(starting… )?(started|already running) \(/);
      expect(result.stdout).toMatch(/monolith\s+starting… started/);
      expect(result.stdout).toMatch(/users-service\s+starting… started/);
    },
    STEP_TIMEOUT,
  );

  it("reports every component healthy with a pid and a log file in `status --json`", async () => {
    const { components } = await status();
    expect(Object.keys(components)).toEqual(["postgres", "monolith", "users-service"]);
    for (const [name, component] of Object.entries(components)) {
      expect({ name, healthy: component.healthy }).toEqual({ name, healthy: true });
      expect(typeof component.pid).toBe("number");
      expect(component.log).toBe(path.join(home, "logs", `${name}.log`));
      expect(fs.existsSync(component.log ?? "")).toBe(true);
    }
    expect(components.postgres?.url).toBe(`postgresql://postgres@127.0.0.1:${ports.postgres}/postgres`);
    pidsWhileUp = Object.values(components).map((component) => component.pid ?? -1);
  });

  it("serves /healthz on each app's url", async () => {
    const { components } = await status();
    for (const name of ["monolith", "users-service"] as const) {
      expect(components[name]?.url).toBe(`http://127.0.0.1:${ports[name]}`);
      const response = await fetch(`${components[name]?.url}/healthz`);
      expect({ name, status: response.status }).toEqual({ name, status: 200 });
    }
  });

  it(
    "treats a second `up` as harmless",
    async () => {
      const result = await stack("up");
      expectSuccess(result);
      for (const name of ["postgres", "monolith", "users-service"]) {
        expect(result.stdout).toMatch(new RegExp(`${name}\\s+starting… already running`));
      }
      const { components } = await status();
      expect(Object.values(components).map((component) => component.pid)).toEqual(pidsWhileUp);
    },
    STEP_TIMEOUT,
  );

  it(
    "stops everything with `down` and leaves no process or port behind",
    async () => {
      expect(pidsWhileUp).toHaveLength(3);
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
