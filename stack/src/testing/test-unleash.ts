import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { findRepoRoot } from "../config/repo-root";
import { loadTestDatabaseUrl, loadTestStackConfig } from "../config/stack-config";
import { databaseUrl, quoteIdent, withPgClient } from "../postgres/pg-client";
import { unleashServerEntry } from "../unleash/unleash-server-env";
import { cloneTemplate } from "./test-database";
import { startUnleashProcess } from "./unleash-test-process";

/** A real Unleash server for one test file, on its own database and port, with its own tokens. */
export interface TestUnleash {
  /** e.g. http://127.0.0.1:39211 */
  url: string;
  /** Admin API token (`*:*.<secret>`). */
  adminToken: string;
  /** Backend (client) token for project default, environment development. */
  clientToken: string;
  /** Kills the server (and its children) and drops its database. Call it in afterAll. */
  stop(): Promise<void>;
}

/** Serialises template builds across jest workers and concurrent runs sharing the test cluster. */
const TEMPLATE_LOCK_KEY = 0x5354_554c; // "STUL"
let started = 0;

function unleashVersion(repoRoot: string): string {
  const packageJson = path.join(path.dirname(path.dirname(unleashServerEntry(repoRoot))), "package.json");
  return (JSON.parse(fs.readFileSync(packageJson, "utf8")) as { version: string }).version;
}

/**
 * A database Unleash has migrated, marked IS_TEMPLATE, built once per unleash-server version on
 * the test cluster (≈4 s) and cloned by every later call (≈0.1 s). It holds no API token, so each
 * clone takes the tokens of its own first start.
 */
async function ensureUnleashTemplate(adminUrl: string, repoRoot: string, logsDir: string): Promise<string> {
  const template = `unleash_template_${unleashVersion(repoRoot).replace(/[^0-9a-z]/gi, "_")}`;
  return withPgClient(adminUrl, async (client) => {
    await client.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK_KEY]);
    try {
      const found = await client.query<{ datistemplate: boolean }>(
        "SELECT datistemplate FROM pg_database WHERE datname = $1",
        [template],
      );
      if (found.rows[0]?.datistemplate) return template;
      // Absent, or left half-built by an interrupted run.
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(template)} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${quoteIdent(template)}`);
      const server = await startUnleashProcess({
        repoRoot,
        databaseUrl: databaseUrl(adminUrl, template),
        logFile: path.join(logsDir, "unleash-template.log"),
      });
      await server.kill();
      await client.query(`ALTER DATABASE ${quoteIdent(template)} WITH IS_TEMPLATE true`);
      return template;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK_KEY]);
    }
  });
}

/**
 * Starts a real unleash-server on a free loopback port with a fresh database on the jest test
 * cluster (STRANGLER_TEST_PG_URL) and tokens generated for this call. Callers must call stop() in
 * afterAll; a server whose jest worker dies without it exits by itself (parent watchdog).
 */
export async function startTestUnleash(): Promise<TestUnleash> {
  const adminUrl = loadTestDatabaseUrl();
  const repoRoot = findRepoRoot(__dirname);
  const logsDir = path.join(loadTestStackConfig().home, "logs");
  const template = await ensureUnleashTemplate(adminUrl, repoRoot, logsDir);
  started += 1;
  const name = `test_unleash_${process.pid}_${started}_${randomBytes(3).toString("hex")}`;
  await cloneTemplate(adminUrl, name, template);
  const adminToken = `*:*.${randomBytes(16).toString("hex")}`;
  const clientToken = `default:development.${randomBytes(16).toString("hex")}`;
  const logFile = path.join(logsDir, `${name}.log`);
  const dropDatabase = () =>
    withPgClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
  let server;
  try {
    server = await startUnleashProcess({
      repoRoot,
      databaseUrl: databaseUrl(adminUrl, name),
      logFile,
      adminToken,
      clientToken,
    });
  } catch (error) {
    await dropDatabase().catch(() => undefined);
    throw error;
  }
  const running = server;
  return {
    url: running.url,
    adminToken,
    clientToken,
    async stop() {
      await running.kill();
      await dropDatabase();
      fs.rmSync(logFile, { force: true });
    },
  };
}
