import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parityRunReportSchema } from "@strangler/ops-contract";
import { createPgParityRunStore, type ParityRunStore } from "@strangler/toolkit-store";
import pino from "pino";
import {
  createParityFixture,
  csvLines,
  fixtureConfigYaml,
  type ParityFixture,
  runStrangler,
  seedParityFixture,
} from "./support/parity-fixture";

// Issue 12's resume must-show on a table large enough to be killed half way: `parity data` is
// killed (SIGKILL, no chance to save anything more) after its first checkpoints, `--resume`
// continues from the last saved key, and its final counts and differing keys equal those of an
// uninterrupted run of the same data.
const ACCOUNTS = 150_000;
const BIN = path.join(__dirname, "..", "bin", "strangler.cjs");

let fixture: ParityFixture;
let dir: string;
let config: string;

beforeAll(async () => {
  fixture = await createParityFixture("parity_resume");
  await seedParityFixture(fixture.legacyClient, fixture.serviceClient, { accounts: ACCOUNTS, lineItems: 10 });
  // Differences spread over the key space: before, around and after the kill.
  await fixture.serviceClient.query(
    "UPDATE account_profiles SET email_address = 'changed@example.test' WHERE account_id IN (10, 75000, 149990)",
  );
  await fixture.serviceClient.query("DELETE FROM account_profiles WHERE account_id IN (20, 120000)");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-parity-resume-"));
  config = path.join(dir, "strangler.config.yaml");
  fs.writeFileSync(
    config,
    fixtureConfigYaml({
      service: "ledger-accounts",
      legacyDatabase: fixture.legacy.url,
      serviceDatabase: fixture.service.url,
      toolkitDatabase: fixture.toolkit.url,
      cdcPort: 9,
    }),
  );
}, 120_000);

afterAll(async () => {
  await fixture?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The full compare of `accounts` as the tests run it. */
const fullRunArgs = () => [
  "parity",
  "data",
  "--config",
  config,
  "--mode",
  "full",
  "--table",
  "accounts",
  "--out",
  path.join(dir, "out"),
  "--json",
];

/**
 * Sends `signal` to the parity process once the toolkit database shows a checkpoint of its running
 * run part way through the table; returns the rows saved then (-1 when none came within 2 minutes).
 */
async function signalHalfWay(store: ParityRunStore, child: ChildProcess, signal: NodeJS.Signals): Promise<number> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const [run] = await store.runs({ unfinished: true, limit: 1 });
    const processed = run?.tables[0]?.counts.processed ?? 0;
    if (run?.status === "running" && processed > 0 && processed < ACCOUNTS) {
      child.kill(signal);
      return processed;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return -1;
}

test("a run killed half way and resumed ends with the counts and keys of an uninterrupted run", async () => {
  const store = createPgParityRunStore(fixture.toolkit.url, { logger: pino({ level: "silent" }) });
  const args = fullRunArgs();
  try {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: "ignore" });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const killedAt = await signalHalfWay(store, child, "SIGKILL");
    await exited;
    expect(killedAt).toBeGreaterThan(0);
    const [interrupted] = await store.runs({ unfinished: true, limit: 1 });
    expect(interrupted?.status).toBe("running");
    const savedKey = interrupted?.tables[0]?.lastKey;
    expect(savedKey).not.toBeNull();

    const resumed = await runStrangler(["parity", "data", "--config", config, "--resume", "--json"], dir);
    expect(resumed.code).toBe(1);
    const report = parityRunReportSchema.parse(JSON.parse(resumed.stdout));
    expect(report.runId).toBe(interrupted?.runId);

    const fresh = await runStrangler(args, dir);
    const uninterrupted = parityRunReportSchema.parse(JSON.parse(fresh.stdout));
    expect(uninterrupted.runId).not.toBe(report.runId);
    expect(report.tables[0]?.counts).toEqual(uninterrupted.tables[0]?.counts);
    expect(report.tables[0]?.counts).toMatchObject({ processed: ACCOUNTS + 4, mismatched: 3, onlyInLegacy: 2 });
    expect(report.tables[0]?.columns).toEqual(uninterrupted.tables[0]?.columns);
    const keysOf = (r: typeof report) => csvLines(r.files.find((f) => f.kind === "keys")?.path as string).sort();
    expect(keysOf(report)).toEqual(keysOf(uninterrupted));
    expect(keysOf(report)).toHaveLength(5);
  } finally {
    await store.close();
  }
}, 300_000);

test("Ctrl-C saves the progress and ends the run as interrupted; --resume finishes it", async () => {
  const store = createPgParityRunStore(fixture.toolkit.url, { logger: pino({ level: "silent" }) });
  const args = fullRunArgs();
  try {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    expect(await signalHalfWay(store, child, "SIGINT")).toBeGreaterThan(0);
    expect(await exited).toBe(1);
    expect(stderr).toMatch(/interrupted; continue it with 'strangler parity data --resume'/);
    const [interrupted] = await store.runs({ unfinished: true, limit: 1 });
    expect(interrupted?.status).toBe("interrupted");
    expect(interrupted?.tables[0]?.counts.processed).toBeLessThan(ACCOUNTS + 4);

    const resumed = await runStrangler(["parity", "data", "--config", config, "--resume", "--json"], dir);
    const report = parityRunReportSchema.parse(JSON.parse(resumed.stdout));
    expect(report).toMatchObject({ runId: interrupted?.runId, status: "done" });
    expect(report.tables[0]?.counts).toMatchObject({ processed: ACCOUNTS + 4, mismatched: 3, onlyInLegacy: 2 });
  } finally {
    await store.close();
  }
}, 300_000);
