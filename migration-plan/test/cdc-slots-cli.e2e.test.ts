import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { keepOneService } from "@strangler/migration-config/src/testing/keep-one-service";
import { createTestDatabase, freeLoopbackPort, type TestDatabase } from "@strangler/stack";
import { Client } from "pg";

// The real `strangler cdc slots` (bin/strangler.cjs, as `npx strangler` runs it) against real
// PostgreSQL: slots made by hand under the names the transports give them, for a service renamed so
// the (cluster-wide) slot names are this run's own.
const bin = path.join(__dirname, "..", "bin", "strangler.cjs");
const exampleConfig = path.join(__dirname, "..", "strangler.config.yaml");
const SERVICE = `slots-${randomBytes(3).toString("hex")}`;
const SLOT_PART = SERVICE.replace(/-/g, "_");
const EMBEDDED = `strangler_${SLOT_PART}`;
const DEBEZIUM = `strangler_dbz_${SLOT_PART}`;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let monolith: TestDatabase;
let service: TestDatabase;
let dir: string;
let env: NodeJS.ProcessEnv;

function strangler(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...env, ...extraEnv }, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

async function sql(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  [monolith, service] = await Promise.all([createTestDatabase("monolith"), createTestDatabase("users_service")]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-cdc-slots-"));
  const config = path.join(dir, "strangler.config.yaml");
  // Only the users service: the example's other services' databases do not exist here.
  const usersOnly = keepOneService(fs.readFileSync(exampleConfig, "utf8"), "users-service", exampleConfig);
  fs.writeFileSync(config, usersOnly.replace(/^( {2}- name: )users-service$/m, `$1${SERVICE}`));
  for (const slot of [EMBEDDED, DEBEZIUM]) {
    await sql(monolith.url, `SELECT pg_create_logical_replication_slot('${slot}', 'pgoutput')`);
    await sql(monolith.url, `CREATE PUBLICATION ${slot}`);
  }
  env = {
    PATH: process.env.PATH,
    STRANGLER_HOME: dir,
    STRANGLER_CONFIG: config,
    STRANGLER_CDC_TRANSPORT: "embedded",
    STRANGLER_MONOLITH_DATABASE_URL: monolith.url,
    STRANGLER_USERS_SERVICE_DATABASE_URL: service.url,
  };
}, 60_000);

afterAll(async () => {
  for (const slot of [EMBEDDED, DEBEZIUM])
    await sql(
      monolith.url,
      `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '${slot}'`,
    ).catch(() => undefined);
  await Promise.all([monolith?.drop(), service?.drop()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("strangler cdc slots (e2e, real PostgreSQL)", () => {
  it("lists the embedded and the Debezium slot with their database and use, and warns about the unused one", async () => {
    const result = await strangler(["cdc", "slots"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(
      new RegExp(
        `${EMBEDDED}\\s+embedded forward\\s+${SERVICE}\\s+${monolith.name}\\s+no\\s+\\d+(\\.\\d)? [KMG]?i?B\\s+yes\\s+yes`,
      ),
    );
    expect(result.stdout).toMatch(
      new RegExp(
        `${DEBEZIUM}\\s+debezium forward\\s+${SERVICE}\\s+${monolith.name}\\s+no\\s+\\d+(\\.\\d)? [KMG]?i?B\\s+yes\\s+no`,
      ),
    );
    expect(result.stdout).toContain(
      `warning: cdc.transport is "embedded", but the Debezium connector's replication slot ${DEBEZIUM}`,
    );
  });

  it("prints JSON with --json, follows cdc.transport, and says when a database cannot be read", async () => {
    const json = await strangler(["cdc", "slots", "--json"], { STRANGLER_CDC_TRANSPORT: "debezium" });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      transport: string;
      slots: Array<{ name: string; used: boolean; database: string }>;
    };
    expect(parsed.transport).toBe("debezium");
    expect(parsed.slots.filter((s) => s.database === monolith.name).map((s) => [s.name, s.used])).toEqual([
      [DEBEZIUM, true],
      [EMBEDDED, false],
    ]);

    const closed = `postgresql://postgres@127.0.0.1:${await freeLoopbackPort()}/nowhere`;
    const partly = await strangler(["cdc", "slots"], { STRANGLER_USERS_SERVICE_DATABASE_URL: closed });
    expect(partly.code).toBe(1);
    expect(partly.stdout).toContain(EMBEDDED);
    expect(partly.stderr).toContain(`could not read the slots of ${closed}`);
  });

  it("has --help and rejects unknown options with exit code 2", async () => {
    const help = await strangler(["cdc", "slots", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: strangler cdc slots [--json] [--config <file>]");
    const wrong = await strangler(["cdc", "slots", "--bogus"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("Unknown option '--bogus'");
    expect((await strangler(["cdc", "--help"])).stdout).toContain("slots [--json]");
  });
});
