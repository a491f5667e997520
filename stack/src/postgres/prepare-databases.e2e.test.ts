import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadTestDatabaseUrl } from "../config/stack-config";
import { databaseUrl, quoteIdent, withPgClient } from "./pg-client";
import { prepareDatabasesAt } from "./prepare-databases";

describe("prepareDatabasesAt (test PostgreSQL)", () => {
  const adminUrl = loadTestDatabaseUrl();
  const name = `test_prepare_${process.pid}`;
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-migrate-"));
  });

  afterAll(async () => {
    await withPgClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("creates the database and runs the app's migrate command in its folder with DATABASE_URL and run.env", async () => {
    const script =
      "require('fs').writeFileSync('seen.json', JSON.stringify({ url: process.env.DATABASE_URL, extra: process.env.EXTRA, cwd: process.cwd() }))";
    const migrate = { app: "shop", command: [process.execPath, "-e", script], cwd: dir, env: { EXTRA: "yes" } };
    await prepareDatabasesAt(adminUrl, { databases: [{ name, migrate }], env: { PATH: process.env.PATH ?? "" } });
    expect(JSON.parse(fs.readFileSync(path.join(dir, "seen.json"), "utf8"))).toEqual({
      url: databaseUrl(adminUrl, name),
      extra: "yes",
      cwd: fs.realpathSync(dir),
    });
    const found = await withPgClient(adminUrl, (client) =>
      client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]),
    );
    expect(found.rowCount).toBe(1);
  });

  it("fails naming the app, its command, the database and the command's output", async () => {
    const migrate = {
      app: "shop",
      command: [process.execPath, "-e", "console.error('no such table'); process.exit(3)"],
      cwd: dir,
      env: {},
    };
    await expect(prepareDatabasesAt(adminUrl, { databases: [{ name, migrate }] })).rejects.toMatchObject({
      code: "STACK_MIGRATION_FAILED",
      message: expect.stringMatching(
        /^shop's migrate command \(.+\) failed on database test_prepare_\d+ \(in .+\), exit 3:\nno such table$/,
      ),
    });
  });

  it("says so when the command cannot run at all", async () => {
    const migrate = { app: "shop", command: ["no-such-program-strangler"], cwd: dir, env: {} };
    await expect(prepareDatabasesAt(adminUrl, { databases: [{ name, migrate }] })).rejects.toMatchObject({
      code: "STACK_MIGRATION_FAILED",
      message: expect.stringContaining("shop's migrate command (no-such-program-strangler) could not run in"),
    });
  });
});
