import { randomBytes } from "node:crypto";
import { loadTestDatabaseUrl } from "../config/stack-config";
import { CREATE_DATABASE_ATTEMPTS, CREATE_DATABASE_RETRY_DELAY } from "../defaults";
import { isProcessAlive, sleep } from "../process/process-state";
import { databaseUrl, quoteIdent, withPgClient } from "../postgres/pg-client";

/** A database cloned from a migrated template for one test file. */
export interface TestDatabase {
  name: string;
  url: string;
  /** DROP DATABASE … WITH (FORCE): also ends connections the test left open. */
  drop(): Promise<void>;
}

const TEST_DATABASE_PATTERN = /^test_[a-z_]+?_(\d+)_\d+_[0-9a-f]+$/;
/** PostgreSQL's "object in use": the template still has a session (e.g. autovacuum) for a moment. */
const OBJECT_IN_USE = "55006";
let created = 0;

/** CREATE DATABASE name TEMPLATE template, retried while the template briefly has a session. */
export async function cloneTemplate(adminUrl: string, name: string, template: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await withPgClient(adminUrl, (client) =>
        client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`),
      );
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== OBJECT_IN_USE || attempt >= CREATE_DATABASE_ATTEMPTS) throw error;
      await sleep(CREATE_DATABASE_RETRY_DELAY * attempt);
    }
  }
}

/**
 * Clones a migrated template of the test PostgreSQL (started by test/jest-global-setup.ts: each
 * database of the migration config with a migrate command, e.g. `monolith`) into a uniquely named
 * database; call drop() in afterAll.
 */
export async function createTestDatabase(template: string): Promise<TestDatabase> {
  const adminUrl = loadTestDatabaseUrl();
  created += 1;
  const name = `test_${template}_${process.pid}_${created}_${randomBytes(3).toString("hex")}`;
  await cloneTemplate(adminUrl, name, template);
  return {
    name,
    url: databaseUrl(adminUrl, name),
    async drop() {
      await withPgClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
      );
    },
  };
}

/**
 * An empty database of the test PostgreSQL (from template0), for toolkit tests with a schema of their
 * own rather than the example's; call drop() in afterAll.
 */
export async function createEmptyTestDatabase(tag: string): Promise<TestDatabase> {
  const adminUrl = loadTestDatabaseUrl();
  created += 1;
  const name = `test_${tag.toLowerCase().replace(/[^a-z_]/g, "_")}_${process.pid}_${created}_${randomBytes(3).toString("hex")}`;
  await withPgClient(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0`));
  return {
    name,
    url: databaseUrl(adminUrl, name),
    async drop() {
      await withPgClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
      );
    },
  };
}

/** Drops test databases whose creating process is gone (a crashed or interrupted run). Returns their names. */
export async function dropOrphanTestDatabases(adminUrl: string): Promise<string[]> {
  return withPgClient(adminUrl, async (client) => {
    const rows = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%'`,
    );
    const orphans = rows.rows
      .map((row) => row.datname)
      .filter((name) => {
        const pid = TEST_DATABASE_PATTERN.exec(name)?.[1];
        return pid !== undefined && !isProcessAlive(Number(pid));
      });
    for (const name of orphans) await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    return orphans;
  });
}
