import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parityRunReportSchema, type ParityRunReport } from "@strangler/ops-contract";
import pg from "pg";
import { type CdcProcess, startCdcProcess, uniqueServiceName } from "../../cdc/test/support/cdc-process";
import {
  dropReplicationOrigin,
  dropSlotsWithPublications,
  eventually,
} from "../../cdc/test/support/embedded-source-fixture";
import { cdcSlotName } from "../../cdc/src/slots/slot-names";
import { sinkReplicationOrigin } from "../../cdc/src/sink/create-sink";
import { freeLoopbackPort } from "../../stack/src/testing/unleash-test-process";
import { createParityFixture, fixtureConfigYaml, type ParityFixture, runStrangler } from "./support/parity-fixture";

// Issue 12's lag-aware must-show: three parity runs while a steady write load goes through the
// legacy database and the CDC process (embedded transport, a real one) copies it to the service.
// Rows the scan sees before CDC applied them are re-checked once the stream is past the position
// read, and counted in flight; the one row corrupted in the service database during the load is
// reported in every run, and nothing else is.
const ACCOUNTS = 4_000;
/** The row the load never touches and the test corrupts in the service database. */
const CORRUPTED = 33;
/** Load: one write per tick per writer; bounded by LOAD_MAX_MS whatever happens to the test. */
const LOAD_TICK_MS = 4;
const LOAD_MAX_MS = 240_000;

let fixture: ParityFixture;
let dir: string;
let config: string;
let cdc: CdcProcess | null = null;
let service: string;
let loadStop = false;
let load: Promise<number> = Promise.resolve(0);

async function runLoad(url: string, seed: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  const started = Date.now();
  let writes = 0;
  let next = 1_000_000 + seed * 100_000;
  let random = seed;
  const pick = () => {
    random = (random * 1103515245 + 12345) % 2 ** 31;
    return random;
  };
  try {
    while (!loadStop && Date.now() - started < LOAD_MAX_MS) {
      const choice = pick() % 10;
      let id = (pick() % ACCOUNTS) + 1;
      if (id === CORRUPTED) id += 1;
      if (choice < 7)
        await client.query(
          "UPDATE accounts SET email = 'u' || floor(random() * 1e6)::text || '@example.test', updated_at = now() WHERE id = $1",
          [id],
        );
      else if (choice < 9) {
        next += 1;
        await client.query(
          "INSERT INTO accounts (id, full_name, email) VALUES ($1::bigint, 'New Account ' || $1::text, NULL)",
          [next],
        );
      } else await client.query("DELETE FROM accounts WHERE id = $1", [next - (pick() % 5)]);
      writes += 1;
      await new Promise((resolve) => setTimeout(resolve, LOAD_TICK_MS));
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return writes;
}

beforeAll(async () => {
  fixture = await createParityFixture("parity_lag");
  await fixture.legacyClient.query(
    `INSERT INTO accounts (id, full_name, email, balance)
     SELECT g, 'Name' || g || ' Surname ' || g, 'user' || g || '@example.test', g FROM generate_series(1, $1::int) g`,
    [ACCOUNTS],
  );
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-parity-lag-"));
  config = path.join(dir, "strangler.config.yaml");
  service = uniqueServiceName("parity");
  const port = await freeLoopbackPort();
  fs.writeFileSync(
    config,
    fixtureConfigYaml({
      service,
      legacyDatabase: fixture.legacy.url,
      serviceDatabase: fixture.service.url,
      toolkitDatabase: fixture.toolkit.url,
      cdcPort: port,
    }),
  );
  cdc = await startCdcProcess({
    config,
    monolithUrl: fixture.legacy.url,
    serviceUrl: fixture.service.url,
    port,
    logLevel: "warn",
  });
  await cdc.waitReady(60_000);
  await eventually(
    "the snapshot copied every account",
    async () =>
      (await fixture.serviceClient.query<{ n: string }>("SELECT count(*)::text AS n FROM account_profiles")).rows[0]
        ?.n === String(ACCOUNTS),
    60_000,
  );
}, 120_000);

afterAll(async () => {
  loadStop = true;
  await load.catch(() => 0);
  await cdc?.terminate().catch(() => null);
  if (fixture) {
    await dropSlotsWithPublications(fixture.legacyClient, [cdcSlotName(service)]).catch(() => undefined);
    await dropReplicationOrigin(fixture.serviceClient, sinkReplicationOrigin(`ledger-to-${service}`)).catch(
      () => undefined,
    );
    await fixture.close();
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

test("three runs during a steady write load report no false difference, count rows in flight, and still catch a corrupted row", async () => {
  load = Promise.all([runLoad(fixture.legacy.url, 1), runLoad(fixture.legacy.url, 2)]).then(([a, b]) => a + b);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await fixture.serviceClient.query(
    "UPDATE account_profiles SET email_address = 'corrupted@example.test' WHERE account_id = $1",
    [CORRUPTED],
  );
  const reports: ParityRunReport[] = [];
  for (let run = 0; run < 3; run += 1) {
    const result = await runStrangler(
      [
        "parity",
        "data",
        "--config",
        config,
        "--mode",
        "full",
        "--table",
        "accounts",
        "--lag-timeout",
        "20s",
        "--json",
        "--out",
        path.join(dir, "out"),
      ],
      dir,
    );
    expect(result.code).toBe(1);
    const report = parityRunReportSchema.parse(JSON.parse(result.stdout));
    reports.push(report);
    expect(report.lagAware).toBe(true);
    const [accounts] = report.tables;
    // Exactly the corrupted row: every other difference the scan saw was in flight.
    expect(accounts?.counts).toMatchObject({ mismatched: 1, onlyInLegacy: 0, onlyInService: 0, unsettled: 0 });
    expect(accounts?.columns).toEqual({ email_address: 1 });
    const keys = fs.readFileSync(report.files.find((f) => f.kind === "keys")?.path as string, "utf8");
    expect(keys.trim().split("\n").slice(1)).toEqual([`mismatched,${CORRUPTED},email_address`]);
  }
  loadStop = true;
  const writes = await load;
  expect(writes).toBeGreaterThan(500);
  // The scans did see the load's changes before CDC applied them: counted apart, not reported.
  const inFlight = reports.reduce((sum, r) => sum + (r.tables[0]?.counts.inFlight ?? 0), 0);
  expect(inFlight).toBeGreaterThan(0);
}, 240_000);
