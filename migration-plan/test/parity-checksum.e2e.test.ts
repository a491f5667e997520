import type { ParityDifference, ParityTableReport } from "@strangler/ops-contract";
import { createEmptyTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import type pg from "pg";
import { createChecksumCompare } from "../src/parity/data/checksum/checksum-compare";
import { checksumSides, rowHashSql } from "../src/parity/data/checksum/checksum-sql";
import { compareKeys } from "../src/parity/data/key-order";
import { expectedServiceRow } from "../src/parity/data/row-compare";
import { openParityConnection, openSideScan } from "../src/parity/data/side-reader";
import type { ChecksumCompare } from "../src/parity/data/data-parity-run";
import type { ParityConnections, TableComparer } from "../src/parity/data/table-comparer";
import type { ParityTablePlan } from "../src/parity/data/table-plan";
import {
  copyMapped,
  fixtureComparer,
  fixtureConfig,
  LEGACY_DDL,
  openFixture,
  SERVICE_DDL,
  startReport,
} from "./support/checksum-fixture";

// Small ranges, so a table of a few thousand rows has many ranges, batches and levels.
const SMALL = { rangeRows: 100, batchRanges: 3, fanout: 4, leafRows: 20 };
const checksum = createChecksumCompare(SMALL);

interface Fixture {
  legacy: pg.Client;
  service: pg.Client;
  connections: ParityConnections;
  plans: ParityTablePlan[];
  plan(legacyTable: string): ParityTablePlan;
  close(): Promise<void>;
}

async function createFixture(tag: string, databases: TestDatabase[]): Promise<Fixture> {
  const legacyDb = await createEmptyTestDatabase(`${tag}_legacy`);
  const serviceDb = await createEmptyTestDatabase(`${tag}_service`);
  databases.push(legacyDb, serviceDb);
  const legacy = await openParityConnection(legacyDb.url, "legacy");
  const service = await openParityConnection(serviceDb.url, "service");
  await legacy.query(LEGACY_DDL);
  await service.query(SERVICE_DDL);
  const opened = await openFixture(fixtureConfig(legacyDb.url, serviceDb.url));
  return {
    legacy,
    service,
    connections: opened.connections,
    plans: opened.plans,
    plan: (legacyTable) => opened.plans.find((plan) => plan.legacyTable === legacyTable) as ParityTablePlan,
    close: async () => {
      await opened.close();
      await Promise.all([legacy.end(), service.end()]);
    },
  };
}

const HOSTILE_TEXT = [
  "O'Brien",
  'say "hi"',
  "back\\slash",
  "{a,b}",
  "NULL",
  "null",
  "",
  null,
  "日本語",
  "astral 😀 𝄞",
  "tab\tnew\nline",
  " padded ",
  '["json"]',
];
const HOSTILE_SPLIT = ["Ada·Lovelace", "·start", "end·", "two··dots", "a·b·c", "", null, "none", "😀·𝄞", "·"];
const HOSTILE_AMOUNT = ["1.005", "2.675", "-0.005", "123456789.994", null, "0", "1e3", "-7.125"];
const HOSTILE_TIME = ["2024-02-29 23:59:59.999999+13", "infinity", "-infinity", null, "1999-12-31 12:00:00-05:30"];
const HOSTILE_KEYS = ["a", "A", "é", "😀", "", "z z", "O'Key", "\u{10FFFF}", "\uFFFD", "ß"];

const at = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

async function insertHostileRows(legacy: pg.Client): Promise<void> {
  for (let i = 0; i < 40; i += 1)
    await legacy.query(
      `INSERT INTO "Crate" ("Tenant", "OrderNo", label, holder, amount, seen_at, note, "Odd Col", secret)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'never copied')`,
      [
        i % 3,
        `${at(HOSTILE_KEYS, i)}${Math.floor(i / 10)}`,
        at(HOSTILE_TEXT, i),
        at(HOSTILE_SPLIT, i),
        at(HOSTILE_AMOUNT, i),
        at(HOSTILE_TIME, i),
        at(HOSTILE_TEXT, i + 5),
        at(HOSTILE_TEXT, i + 3),
      ],
    );
  for (let i = 0; i < HOSTILE_KEYS.length * 2; i += 1)
    await legacy.query("INSERT INTO tags (code, title, weight) VALUES ($1, $2, $3)", [
      `${at(HOSTILE_KEYS, i)}${i < HOSTILE_KEYS.length ? "" : "x"}`,
      at(HOSTILE_TEXT, i),
      at(HOSTILE_AMOUNT, i),
    ]);
  await legacy.query(
    `INSERT INTO tokens (id, body, issued_at) SELECT md5(i::text)::uuid, (ARRAY[${HOSTILE_TEXT.map((_, i) => `$${i + 1}::text`).join(", ")}])[1 + i % ${HOSTILE_TEXT.length}], now() FROM generate_series(1, 30) AS i`,
    HOSTILE_TEXT,
  );
  await legacy.query(
    `INSERT INTO "Shelf" SELECT t, s, 'item ' || s FROM generate_series(-2, 2) AS t, (VALUES (-9223372036854775808), (0), (9223372036854775807)) AS v(s)`,
  );
}

async function runFull(fixture: Fixture, plan: ParityTablePlan, lastKey: string[] | null = null) {
  const { comparer, store } = fixtureComparer(plan, startReport(plan, "full", lastKey), fixture.connections);
  await comparer.compareScan({ after: null });
  return { report: await comparer.finish(), differences: sorted(store.found) };
}

/** Checksum mode, checking on the way that the resume key only ever moves forward. */
async function runChecksum(
  fixture: Fixture,
  plan: ParityTablePlan,
  lastKey: string[] | null = null,
  compare: ChecksumCompare = checksum,
) {
  const { comparer, store } = fixtureComparer(plan, startReport(plan, "checksum", lastKey), fixture.connections);
  const keys: Array<readonly string[]> = [];
  const seen = () => comparer.report.lastKey && keys.push([...comparer.report.lastKey]);
  const tracked: TableComparer = {
    report: comparer.report,
    compareScan: async (bounds) => void (await comparer.compareScan(bounds), seen()),
    countMatching: async (rows, key) => void (await comparer.countMatching(rows, key), seen()),
    finish: () => comparer.finish(),
  };
  await compare(plan, tracked, { connections: fixture.connections });
  for (let i = 1; i < keys.length; i += 1)
    expect(compareKeys(plan.keyKinds, keys[i - 1] as string[], keys[i] as string[])).toBeLessThanOrEqual(0);
  return { report: await comparer.finish(), differences: sorted(store.found) };
}

const sorted = (differences: ParityDifference[]) =>
  differences.map((d) => JSON.stringify(d)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const sameOutcome = (report: ParityTableReport) => ({
  counts: report.counts,
  columns: report.columns,
  equal: report.equal,
});

describe("checksum mode of data parity", () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((db) => db.drop()));
  });

  describe("on hostile values", () => {
    let fixture: Fixture;
    beforeAll(async () => {
      fixture = await createFixture("checksum_hostile", databases);
      await insertHostileRows(fixture.legacy);
    });
    afterAll(() => fixture.close());

    it("maps a legacy row in SQL to the text the config's mapper gives, for every table", async () => {
      for (const plan of fixture.plans) {
        const mapped = [...plan.serviceKeys, ...plan.compared].map((column) => plan.legacyMappedSql[column]);
        const result = await fixture.legacy.query<string[]>({
          text: `SELECT ${[...plan.legacySelect, ...mapped].join(", ")} FROM ${plan.legacySql}`,
          rowMode: "array",
        });
        expect(result.rows.length).toBeGreaterThan(10);
        for (const row of result.rows) {
          const expected = expectedServiceRow(plan, row.slice(0, plan.legacySelect.length));
          expect(row.slice(plan.legacySelect.length)).toEqual([...expected.key, ...expected.values]);
        }
      }
    });

    it("gives equal rows the same canonical text and hash on both sides, and counts them all as matching", async () => {
      for (const plan of fixture.plans) {
        const rows = await copyMapped(plan, fixture.legacy, fixture.service);
        for (const hash of ["md5", "hashtext"] as const) {
          const sides = checksumSides(plan, hash);
          const read = async (client: pg.Client, side: typeof sides.legacy) => {
            const result = await client.query<string[]>({
              text: `SELECT ${side.keyText.join(" || '|' || ")}, ${side.rowText}, ${rowHashSql(side)}::text FROM ${side.tableSql}`,
              rowMode: "array",
            });
            return new Map(result.rows.map(([key, ...rest]) => [key, rest]));
          };
          const [legacy, service] = await Promise.all([
            read(fixture.legacy, sides.legacy),
            read(fixture.service, sides.service),
          ]);
          expect(service.size).toBe(rows);
          expect(service).toEqual(legacy);
        }
        const { report, differences } = await runChecksum(fixture, plan);
        expect(differences).toEqual([]);
        expect(report.counts).toMatchObject({ processed: rows, matching: rows });
        expect(report.ranges?.differing).toBe(0);
      }
    });
  });

  describe("on a legacy value that does not fit the service column", () => {
    let fixture: Fixture;
    beforeAll(async () => {
      fixture = await createFixture("checksum_cast", databases);
      await fixture.legacy.query(
        "INSERT INTO tags SELECT 'tag-' || lpad(i::text, 4, '0'), 'title ' || i, i FROM generate_series(1, 600) AS i",
      );
      await copyMapped(fixture.plan("tags"), fixture.legacy, fixture.service);
      // numeric(12,2) holds less than 10^10: the sink cannot write this row, the cast in the checksum fails.
      await fixture.legacy.query("INSERT INTO tags VALUES ('tag-0300x', 'too big', 1e12)");
    });
    afterAll(() => fixture.close());

    it("compares the ranges whose checksum failed row by row, as the full compare does, and reports the row", async () => {
      const plan = fixture.plan("tags");
      const { comparer, store, warnings } = fixtureComparer(plan, startReport(plan, "checksum"), fixture.connections);
      await checksum(plan, comparer, { connections: fixture.connections });
      const report = await comparer.finish();
      const full = await runFull(fixture, plan);
      expect(sameOutcome(report)).toEqual(sameOutcome(full.report));
      expect(sorted(store.found)).toEqual(full.differences);
      expect(report.counts).toMatchObject({ processed: 601, onlyInLegacy: 1 });
      expect(store.found).toContainEqual({ kind: "only_in_legacy", key: ["tag-0300x"], columns: [] });
      expect(warnings).toEqual([expect.stringContaining("does not fit the service column's type")]);
    });
  });

  describe("on tables that differ", () => {
    let fixture: Fixture;
    beforeAll(async () => {
      fixture = await createFixture("checksum_diff", databases);
      const { legacy, service } = fixture;
      await legacy.query(`
        INSERT INTO "Crate" SELECT t, 'o' || lpad(i::text, 4, '0'), 'label ' || i, 'first' || i || '·rest ' || i,
          i / 7.0, '2024-01-01'::timestamptz + i * interval '1 hour', NULL, 'odd', 'secret'
          FROM generate_series(1, 3) AS t, generate_series(1, 400) AS i;
        INSERT INTO "Crate" ("Tenant", "OrderNo", label) VALUES (2, 'é', 'x'), (2, '😀', 'y'), (2, 'Z', 'z');
        INSERT INTO tags SELECT 'tag-' || lpad(i::text, 4, '0'), 'title ' || i, i / 3.0 FROM generate_series(1, 1200) AS i;
        INSERT INTO tokens SELECT md5('t' || i)::uuid, 'body ' || i, now() FROM generate_series(1, 1200) AS i;
        INSERT INTO "Shelf" SELECT t, s * 1000, 'item ' || s FROM generate_series(1, 3) AS t, generate_series(1, 400) AS s;`);
      for (const plan of fixture.plans) await copyMapped(plan, legacy, service);
    });
    afterAll(() => fixture.close());

    it("reads an integer key in numeric order in a scan, not in the order of its text", async () => {
      const plan = fixture.plan("Shelf");
      const scan = await openSideScan(
        fixture.connections.legacyScan,
        {
          tableSql: plan.legacySql,
          select: plan.legacySelect,
          order: plan.legacyOrder,
          kinds: plan.keyKinds,
          after: null,
          through: ["1", "300000"],
        },
        { fetchSize: 1000, cursor: "order_probe" },
      );
      const rows = await scan.next();
      await scan.close();
      expect(rows.map((row) => Number(row[1]))).toEqual(Array.from({ length: 300 }, (_, i) => (i + 1) * 1000));
    });

    it("descends into no range when the tables are equal", async () => {
      for (const plan of fixture.plans) {
        const { report, differences } = await runChecksum(fixture, plan);
        expect(differences).toEqual([]);
        expect(report.counts.processed).toBe(report.counts.matching);
        expect(report.counts.processed).toBeGreaterThanOrEqual(1200);
        expect(report.ranges).toEqual({ compared: expect.any(Number), differing: 0 });
        expect(report.ranges?.compared).toBeGreaterThanOrEqual(12);
        expect(report.equal).toBe(true);
      }
    });

    // Top-level ranges of the fixture's tables at 100 rows each: at least 12 per table.
    const TOP_RANGES = 12;

    it("descends only into the ranges that hold a sparse difference, down to the row compare, as the full compare reports them", async () => {
      await fixture.service.query(`
        UPDATE crates SET title = 'changed' WHERE tenant_id = 2 AND order_no = 'o0194';
        DELETE FROM crates WHERE tenant_id = 1 AND order_no = 'o0005';
        INSERT INTO crates (tenant_id, order_no) VALUES (2, 'o0100x');
        UPDATE tag_labels SET weight = weight + 1 WHERE tag_code = 'tag-0970';
        DELETE FROM tag_labels WHERE tag_code = 'tag-0005';
        INSERT INTO tag_labels (tag_code) VALUES ('tag-0100x');
        UPDATE tokens SET body = 'changed' WHERE id = md5('t' || 98)::uuid;
        DELETE FROM tokens WHERE id = md5('t' || 5)::uuid;
        INSERT INTO tokens (id) VALUES ('80000000-0000-0000-0000-000000000000');
        UPDATE shelves SET item = NULL WHERE tenant_id = 3 AND slot_no = 390000;
        DELETE FROM shelves WHERE tenant_id = 1 AND slot_no = 5000;
        INSERT INTO shelves (tenant_id, slot_no) VALUES (2, 100001);`);
      for (const plan of fixture.plans) {
        const full = await runFull(fixture, plan);
        const byChecksum = await runChecksum(fixture, plan);
        expect(full.report.counts).toMatchObject({ mismatched: 1, onlyInLegacy: 1, onlyInService: 1 });
        expect(sameOutcome(byChecksum.report)).toEqual(sameOutcome(full.report));
        expect(byChecksum.differences).toEqual(full.differences);
        const byMd5 = await runChecksum(fixture, plan, null, createChecksumCompare({ ...SMALL, rowHash: "md5" }));
        expect(sameOutcome(byMd5.report)).toEqual(sameOutcome(full.report));
        expect(byMd5.differences).toEqual(full.differences);
        expect(byMd5.report.ranges).toEqual(byChecksum.report.ranges);
        const ranges = byChecksum.report.ranges as { compared: number; differing: number };
        if (plan.keyKinds.includes("text")) {
          // No index serves a text key's order: a differing range is compared row by row at once.
          expect(ranges.differing).toBeGreaterThanOrEqual(1);
          expect(ranges.differing).toBeLessThanOrEqual(3);
        } else {
          // Three differing top-level ranges at most, each split twice (4 × 4) before the row compare.
          expect(ranges.differing).toBeGreaterThanOrEqual(3);
          expect(ranges.differing).toBeLessThanOrEqual(9);
          expect(ranges.compared).toBeGreaterThanOrEqual(TOP_RANGES + 3 * 4);
        }
      }
    });

    it("reports the counts and difference keys of the full compare on dense differences: changed columns, missing rows, extra rows", async () => {
      await fixture.service.query(`
        UPDATE crates SET title = 'changed' WHERE tenant_id = 2 AND order_no LIKE 'o%' AND substr(order_no, 2, 4)::int % 97 = 0;
        UPDATE crates SET holder_rest = 'moved' WHERE tenant_id = 3 AND order_no = 'o0399';
        DELETE FROM crates WHERE order_no LIKE 'o%' AND substr(order_no, 2, 4)::int % 113 = 5;
        INSERT INTO crates (tenant_id, order_no) VALUES (0, 'before'), (2, 'é0');
        INSERT INTO crates (tenant_id, order_no) SELECT 9, 'p' || i FROM generate_series(1, 60) AS i;
        UPDATE tag_labels SET weight = weight + 1 WHERE substr(tag_code, 5, 4)::int % 97 = 0;
        DELETE FROM tag_labels WHERE substr(tag_code, 5, 4)::int % 113 = 5;
        INSERT INTO tag_labels (tag_code) VALUES ('a-first');
        INSERT INTO tag_labels (tag_code) SELECT 'zzz-' || i FROM generate_series(1, 60) AS i;
        UPDATE tokens SET body = 'changed' WHERE id IN (SELECT md5('t' || i)::uuid FROM generate_series(1, 1200, 97) AS i);
        DELETE FROM tokens WHERE id IN (SELECT md5('t' || i)::uuid FROM generate_series(5, 1200, 113) AS i);
        INSERT INTO tokens (id) VALUES ('00000000-0000-0000-0000-000000000000'), ('ffffffff-ffff-ffff-ffff-ffffffffffff');
        INSERT INTO tokens (id) SELECT md5('extra' || i)::uuid FROM generate_series(1, 60) AS i;
        UPDATE shelves SET item = 'changed' WHERE slot_no % 97000 = 0;
        DELETE FROM shelves WHERE slot_no % 113000 = 5000;
        INSERT INTO shelves (tenant_id, slot_no) VALUES (0, 0), (2, 100002);
        INSERT INTO shelves (tenant_id, slot_no) SELECT 9, s FROM generate_series(1, 60) AS s;`);
      for (const plan of fixture.plans) {
        const full = await runFull(fixture, plan);
        const byChecksum = await runChecksum(fixture, plan);
        expect(full.report.counts.mismatched).toBeGreaterThanOrEqual(5);
        expect(full.report.counts.onlyInLegacy).toBeGreaterThan(5);
        expect(full.report.counts.onlyInService).toBeGreaterThanOrEqual(62);
        expect(sameOutcome(byChecksum.report)).toEqual(sameOutcome(full.report));
        expect(byChecksum.differences).toEqual(full.differences);
        expect(byChecksum.report.ranges?.differing).toBeGreaterThan(3);
      }
    });

    it("resumes after a last key and counts each remaining key once, as the full compare resumed there", async () => {
      for (const plan of fixture.plans) {
        const full = await runFull(fixture, plan);
        const legacyKeys = await fixture.legacy.query<string[]>({
          text: `SELECT ${checksumSides(plan).legacy.keyText.join(", ")} FROM ${plan.legacySql} ORDER BY ${plan.legacyOrder.join(", ")}`,
          rowMode: "array",
        });
        const resumeKey = legacyKeys.rows[Math.floor(legacyKeys.rows.length * 0.4)] as string[];
        const fullResumed = await runFull(fixture, plan, resumeKey);
        const resumed = await runChecksum(fixture, plan, resumeKey);
        expect(resumed.report.counts.processed).toBeLessThan(full.report.counts.processed * 0.7);
        expect(resumed.differences.length).toBeGreaterThan(0);
        expect(sameOutcome(resumed.report)).toEqual(sameOutcome(fullResumed.report));
        expect(resumed.differences).toEqual(fullResumed.differences);
        for (const difference of resumed.differences)
          expect(compareKeys(plan.keyKinds, JSON.parse(difference).key, resumeKey)).toBeGreaterThan(0);
      }
    });
  });
});
