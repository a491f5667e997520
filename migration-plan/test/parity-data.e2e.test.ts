import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parityRunReportSchema, type ParityRunReport } from "@strangler/ops-contract";
import {
  createParityFixture,
  csvLines,
  fixtureConfigYaml,
  type ParityFixture,
  runPsqlFile,
  runStrangler,
  seedParityFixture,
} from "./support/parity-fixture";

// `strangler parity data` on a neutral fixture (accounts with a split name and renamed columns;
// "LineItem" with a two-column key of quoted mixed-case names copied to "Sales"."OrderLine"): planted
// differences are reported with their keys and columns, the written fix-up script applied with psql
// makes the next run equal. No CDC process runs here: the run says it did not wait out lag.
const ACCOUNTS = 3_000;
const LINE_ITEMS = 2_000;

let fixture: ParityFixture;
let dir: string;
let config: string;

const parity = async (...args: string[]) => {
  const result = await runStrangler(
    ["parity", "data", "--config", config, "--out", path.join(dir, "out"), "--json", ...args],
    dir,
  );
  let report: ParityRunReport | null = null;
  try {
    report = parityRunReportSchema.parse(JSON.parse(result.stdout));
  } catch {
    throw new Error(`no report (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return { ...result, report };
};

const table = (report: ParityRunReport, legacyTable: string) => {
  const found = report.tables.find((t) => t.legacyTable === legacyTable);
  if (!found) throw new Error(`no table ${legacyTable} in ${JSON.stringify(report)}`);
  return found;
};

beforeAll(async () => {
  fixture = await createParityFixture("parity_data");
  await seedParityFixture(fixture.legacyClient, fixture.serviceClient, { accounts: ACCOUNTS, lineItems: LINE_ITEMS });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-parity-data-"));
  config = path.join(dir, "strangler.config.yaml");
  fs.writeFileSync(
    config,
    fixtureConfigYaml({
      service: "ledger-accounts",
      legacyDatabase: fixture.legacy.url,
      serviceDatabase: fixture.service.url,
      toolkitDatabase: fixture.toolkit.url,
      // Nothing listens on port 9 (discard): no CDC process.
      cdcPort: 9,
    }),
  );
});

afterAll(async () => {
  await fixture?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("an equal copy is reported equal in both tables, every row counted once", async () => {
  const { code, report } = await parity("--mode", "full");
  expect(code).toBe(0);
  expect(report.status).toBe("done");
  expect(table(report, "accounts")).toMatchObject({
    equal: true,
    counts: { processed: ACCOUNTS + 4, matching: ACCOUNTS + 4, mismatched: 0, onlyInLegacy: 0, onlyInService: 0 },
  });
  expect(table(report, "LineItem")).toMatchObject({
    serviceTable: "Sales.OrderLine",
    keyColumns: ["Tenant", "OrderNo"],
    equal: true,
    counts: { processed: LINE_ITEMS, matching: LINE_ITEMS },
  });
  expect(report.lagAware).toBe(false);
  expect(report.warnings.join("\n")).toMatch(/not waited out/);
});

test("a changed column, a deleted row and an extra row are reported with their keys; the fix-up script makes the copy equal", async () => {
  await fixture.serviceClient.query(
    "UPDATE account_profiles SET email_address = 'changed@example.test' WHERE account_id = 17",
  );
  await fixture.serviceClient.query("UPDATE account_profiles SET family_name = 'Ünïcödé' WHERE account_id = 900001");
  await fixture.serviceClient.query("DELETE FROM account_profiles WHERE account_id = 42");
  await fixture.serviceClient.query(
    "INSERT INTO account_profiles (account_id, given_name, family_name, email_address, balance) VALUES (777777, 'Extra', 'Row', 'x@example.test', 1)",
  );
  await fixture.serviceClient.query(
    `UPDATE "Sales"."OrderLine" SET "Qty" = "Qty" + 1 WHERE "Tenant" = 3 AND "OrderNo" = 'A-2'`,
  );
  await fixture.serviceClient.query(`DELETE FROM "Sales"."OrderLine" WHERE "Tenant" = 2 AND "OrderNo" = 'A-1'`);

  const first = await parity("--mode", "full");
  expect(first.code).toBe(1);
  const accounts = table(first.report, "accounts");
  expect(accounts).toMatchObject({
    equal: false,
    counts: { processed: ACCOUNTS + 5, matching: ACCOUNTS + 1, mismatched: 2, onlyInLegacy: 1, onlyInService: 1 },
    columns: { email_address: 1, family_name: 1 },
  });
  const lines = table(first.report, "LineItem");
  expect(lines).toMatchObject({ counts: { mismatched: 1, onlyInLegacy: 1, onlyInService: 0 }, columns: { Qty: 1 } });

  const keysFile = first.report.files.find((f) => f.kind === "keys" && f.table === "accounts")?.path as string;
  expect(csvLines(keysFile).sort()).toEqual(
    [
      "mismatched,17,email_address",
      "mismatched,900001,family_name",
      "only_in_legacy,42,",
      "only_in_service,777777,",
    ].sort(),
  );
  const lineKeys = first.report.files.find((f) => f.kind === "keys" && f.table === "LineItem")?.path as string;
  expect(fs.readFileSync(lineKeys, "utf8").split("\n")[0]).toBe("kind,Tenant,OrderNo,columns");
  expect(csvLines(lineKeys).sort()).toEqual(["mismatched,3,A-2,Qty", "only_in_legacy,2,A-1,"]);

  // Checksum mode (key ranges hashed inside each database) reports the same rows and keys.
  const checksum = await parity("--mode", "checksum");
  expect(checksum.code).toBe(1);
  for (const name of ["accounts", "LineItem"]) {
    const full = table(first.report, name);
    const ranged = table(checksum.report, name);
    expect(ranged.mode).toBe("checksum");
    expect(ranged.counts).toEqual(full.counts);
    expect(ranged.columns).toEqual(full.columns);
    const keysOf = (r: ParityRunReport) =>
      csvLines(r.files.find((f) => f.kind === "keys" && f.table === name)?.path as string).sort();
    expect(keysOf(checksum.report)).toEqual(keysOf(first.report));
  }

  const fixups = first.report.files.filter((f) => f.kind === "fixup");
  expect(fixups.map((f) => f.table).sort()).toEqual(["LineItem", "accounts"]);
  for (const file of fixups) {
    expect(fs.readFileSync(file.path, "utf8")).toMatch(/^-- Strangler data parity fix-up/);
    const applied = await runPsqlFile(fixture.service.url, file.path);
    expect(applied).toMatchObject({ code: 0 });
  }

  const second = await parity("--mode", "full");
  expect(second.code).toBe(0);
  expect(table(second.report, "accounts")).toMatchObject({
    equal: true,
    counts: { processed: ACCOUNTS + 4, matching: ACCOUNTS + 4, mismatched: 0, onlyInLegacy: 0, onlyInService: 0 },
  });
  expect(table(second.report, "LineItem")).toMatchObject({ equal: true, counts: { matching: LINE_ITEMS } });
  expect(second.report.files.some((f) => f.kind === "fixup")).toBe(false);
});

test("--table and --service choose what is compared; a table that is not mapped is a usage error naming the mapped ones", async () => {
  const only = await parity("--mode", "full", "--table", "Sales.OrderLine");
  expect(only.code).toBe(0);
  expect(only.report.tables.map((t) => t.legacyTable)).toEqual(["LineItem"]);
  const wrong = await runStrangler(["parity", "data", "--config", config, "--table", "orders"], dir);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toMatch(
    /no mapped table "orders" \(mapped: accounts → account_profiles, LineItem → Sales\.OrderLine\)/,
  );
});
