import { type MigrationConfig, parseMigrationConfig, quoteIdentifier } from "@strangler/migration-config";
import { emptyParityCounts, type ParityDifference, type ParityTableReport } from "@strangler/ops-contract";
import type { ParityRunStore } from "@strangler/toolkit-store";
import type pg from "pg";
import { createCdcPositions } from "../../src/parity/data/cdc-positions";
import { expectedServiceRow } from "../../src/parity/data/row-compare";
import { planServiceTables } from "../../src/parity/data/service-tables";
import { openParityConnection } from "../../src/parity/data/side-reader";
import { createTableComparer, type ParityConnections, type TableComparer } from "../../src/parity/data/table-comparer";
import type { ParityTablePlan } from "../../src/parity/data/table-plan";

// A neutral fixture of the toolkit's own (not the worked example): a table with a two-column key of
// quoted mixed-case names (integer, text), a rename, a split, copy-all columns and a numeric that
// the service rounds; a table with a text key; a table with a uuid key; a table with a two-integer key.

export const LEGACY_DDL = `
CREATE TABLE "Crate" (
  "Tenant" integer NOT NULL,
  "OrderNo" text NOT NULL,
  label text,
  holder text,
  amount numeric,
  seen_at timestamptz,
  note text,
  "Odd Col" text,
  secret text,
  PRIMARY KEY ("Tenant", "OrderNo")
);
CREATE TABLE tags (code text PRIMARY KEY, title text, weight numeric);
CREATE TABLE tokens (id uuid PRIMARY KEY, body text, issued_at timestamptz);
CREATE TABLE "Shelf" ("Tenant" integer NOT NULL, "SlotNo" bigint NOT NULL, item text, PRIMARY KEY ("Tenant", "SlotNo"));`;

export const SERVICE_DDL = `
CREATE TABLE crates (
  tenant_id bigint NOT NULL,
  order_no text NOT NULL,
  title text,
  holder_first text,
  holder_rest text,
  amount numeric(12,2),
  seen_at timestamptz,
  note text,
  "Odd Col" text,
  PRIMARY KEY (tenant_id, order_no)
);
CREATE TABLE tag_labels (tag_code text PRIMARY KEY, title text, weight numeric(12,2));
CREATE TABLE tokens (id uuid PRIMARY KEY, body text, issued_at timestamptz);
CREATE TABLE shelves (tenant_id integer NOT NULL, slot_no bigint NOT NULL, item text, PRIMARY KEY (tenant_id, slot_no));`;

export function fixtureConfig(legacyUrl: string, serviceUrl: string): MigrationConfig {
  const yaml = `
version: 1
legacy: { name: crates-legacy, url: "http://127.0.0.1:9", database: "${legacyUrl}" }
unleash: { url: "http://127.0.0.1:9" }
services:
  - name: crate-service
    url: http://127.0.0.1:9
    routes: {}
    data:
      database: "${serviceUrl}"
      tables:
        - source: Crate
          target: crates
          key: { Tenant: tenant_id, OrderNo: order_no }
          columns: { label: title, amount: amount, seen_at: seen_at }
          split: [{ from: holder, into: [holder_first, holder_rest], separator: "·" }]
          copyRest: true
          exclude: [secret]
        - source: tags
          target: tag_labels
          key: { code: tag_code }
          columns: { title: title, weight: weight }
        - source: tokens
          target: tokens
        - source: Shelf
          target: shelves
          key: { Tenant: tenant_id, SlotNo: slot_no }
`;
  return parseMigrationConfig(yaml, "parity-fixture.yaml", {});
}

/** The four connections of a parity run over the fixture, and the plans of its tables. */
export async function openFixture(
  config: MigrationConfig,
): Promise<{ connections: ParityConnections; plans: ParityTablePlan[]; close(): Promise<void> }> {
  const legacyUrl = config.legacy.database as string;
  const serviceUrl = config.services[0]?.data?.database as string;
  const connections: ParityConnections = {
    legacyScan: await openParityConnection(legacyUrl, "legacy"),
    serviceScan: await openParityConnection(serviceUrl, "service"),
    legacy: await openParityConnection(legacyUrl, "legacy"),
    service: await openParityConnection(serviceUrl, "service"),
  };
  const service = config.services[0] as MigrationConfig["services"][number];
  const plans = await planServiceTables(config, { service, index: 0 }, connections);
  return {
    connections,
    plans,
    close: async () => {
      await Promise.all(Object.values(connections).map((client: pg.Client) => client.end()));
    },
  };
}

/**
 * Writes the legacy rows into the service table the way the CDC sink does: mapped by the config's
 * forward mapper (expectedServiceRow), each value's text through the column type's input function.
 */
export async function copyMapped(plan: ParityTablePlan, legacy: pg.Client, service: pg.Client): Promise<number> {
  const rows = await legacy.query<string[]>({
    text: `SELECT ${plan.legacySelect.join(", ")} FROM ${plan.legacySql}`,
    rowMode: "array",
  });
  const columns = [...plan.serviceKeys, ...plan.compared];
  const mapped = rows.rows.map((row) => {
    const expected = expectedServiceRow(plan, row);
    return [...expected.key, ...expected.values];
  });
  const values = columns.map((_, i) => mapped.map((row) => row[i] ?? null));
  const casts = columns.map((column, i) => `u.c${i}::${plan.serviceTypes.get(column)?.type ?? "text"}`);
  await service.query(
    `INSERT INTO ${plan.serviceSql} (${columns.map(quoteIdentifier).join(", ")})
     SELECT ${casts.join(", ")} FROM unnest(${columns.map((_, i) => `$${i + 1}::text[]`).join(", ")})
       AS u(${columns.map((_, i) => `c${i}`).join(", ")})`,
    values,
  );
  return mapped.length;
}

/** A ParityRunStore that keeps checkpoints in memory (the comparer only checkpoints). */
export function memoryStore(): ParityRunStore & { found: ParityDifference[]; reports: ParityTableReport[] } {
  const found: ParityDifference[] = [];
  const reports: ParityTableReport[] = [];
  const unused = () => Promise.reject(new Error("not used by the table comparer"));
  return {
    found,
    reports,
    async checkpoint(checkpoint) {
      found.push(...checkpoint.differences);
      reports.push(structuredClone(checkpoint.table));
    },
    createRun: unused,
    finishRun: unused,
    reopenRun: unused,
    run: unused,
    runs: unused,
    differences: unused,
    close: async () => undefined,
  };
}

export function startReport(
  plan: ParityTablePlan,
  mode: "full" | "checksum",
  lastKey: string[] | null = null,
): ParityTableReport {
  return {
    service: plan.service,
    legacyTable: plan.legacyTable,
    serviceTable: plan.serviceTable,
    keyColumns: [...plan.serviceKeys],
    mode,
    owner: "legacy",
    status: "pending",
    counts: emptyParityCounts(),
    columns: {},
    lastKey,
    ...(mode === "checksum" ? { ranges: { compared: 0, differing: 0 } } : {}),
    equal: false,
    startedAt: null,
    finishedAt: null,
  };
}

/** A table comparer over the fixture with an in-memory store and no CDC stream (differences re-read once). */
export function fixtureComparer(
  plan: ParityTablePlan,
  start: ParityTableReport,
  connections: ParityConnections,
): { comparer: TableComparer; store: ReturnType<typeof memoryStore>; warnings: string[] } {
  const store = memoryStore();
  const warnings: string[] = [];
  const comparer = createTableComparer(plan, start, {
    store,
    runId: "run-1",
    connections,
    recheck: {
      owner: "legacy",
      direction: "forward",
      cdc: createCdcPositions(null, 10),
      lagAware: false,
      lagTimeoutMs: 0,
      rounds: 1,
    },
    limits: { fetchSize: 200, checkpointRows: 500, checkpointInterval: 60_000, maxSuspects: 500 },
    warn: (message) => warnings.push(message),
  });
  return { comparer, store, warnings };
}
