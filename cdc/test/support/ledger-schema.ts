import { type MigrationConfig, parseMigrationConfig } from "@strangler/migration-config";
import type { Client } from "pg";
import { mappedDifferences } from "./mapped-compare";

// A neutral fixture of the toolkit's own (not the worked example): a "ledger" legacy schema with
// values at the edges of their types, a child table whose foreign key cascades key changes, and a
// markers table the tests use to know the stream has caught up; the service schema renames tables,
// columns and keys and splits one column.

export const LEDGER_SOURCE_DDL = `
CREATE TABLE accounts (
  id bigint PRIMARY KEY,
  code text NOT NULL UNIQUE,
  holder text,
  opened_on date,
  created_at timestamptz,
  local_at timestamp,
  balance numeric,
  ratio double precision,
  note text,
  tags text[],
  scores integer[],
  doc jsonb,
  raw bytea,
  term interval,
  updated_at timestamptz
);
CREATE TABLE entries (
  id bigint PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id) ON UPDATE CASCADE ON DELETE CASCADE,
  amount numeric,
  memo text
);
CREATE TABLE markers (id integer PRIMARY KEY);
-- A link table without primary key: its key is (a, b), a unique index on NOT NULL columns.
CREATE TABLE links (a integer NOT NULL, b integer NOT NULL, note text, UNIQUE (a, b));`;

/**
 * The service side. On the Debezium transport each table has its own topic, so a child's change may
 * arrive before its parent's: there the entries' foreign key must be left out (`foreignKey: false`);
 * the embedded transport keeps source order across tables, and with the key (ON UPDATE CASCADE, as
 * the source) a moved account takes its entries along in the target.
 */
export function ledgerTargetDdl(options: { foreignKey: boolean }): string {
  const reference = options.foreignKey
    ? " REFERENCES ledger_accounts (account_id) ON UPDATE CASCADE ON DELETE CASCADE"
    : "";
  return `
CREATE TABLE ledger_accounts (
  account_id bigint PRIMARY KEY,
  account_code text NOT NULL UNIQUE,
  holder_first text,
  holder_rest text,
  opened_on date,
  created_at timestamptz,
  local_at timestamp,
  balance numeric,
  ratio double precision,
  note text,
  tags text[],
  scores integer[],
  doc jsonb,
  raw bytea,
  term interval,
  updated_at timestamptz,
  version integer NOT NULL DEFAULT 1
);
CREATE TABLE ledger_entries (
  entry_id bigint PRIMARY KEY,
  account_id bigint NOT NULL${reference},
  amount numeric,
  memo text
);
CREATE TABLE ledger_markers (marker_id integer PRIMARY KEY);
CREATE TABLE ledger_links (link_a integer NOT NULL, link_b integer NOT NULL, note text, UNIQUE (link_a, link_b));`;
}

/** Source tables in the order a TRUNCATE lists them. */
export const LEDGER_SOURCE_TABLES = ["accounts", "entries", "markers", "links"] as const;

/** The migration config of the ledger fixture: one service whose data maps the three tables. */
export function ledgerConfig(options: {
  serviceName: string;
  sourceUrl: string;
  targetUrl: string;
  transport: "embedded" | "debezium";
  brokers?: string;
  connectUrl?: string;
}): MigrationConfig {
  const yaml = `
version: 1
legacy:
  name: ledger
  url: http://127.0.0.1:9
  database: ${options.sourceUrl}
unleash: { url: "http://127.0.0.1:9" }
services:
  - name: ${options.serviceName}
    url: http://127.0.0.1:9
    routes: { reads: [{ id: accounts-list, methods: [GET], path: /api/accounts }] }
    data:
      database: ${options.targetUrl}
      tables:
        - source: accounts
          target: ledger_accounts
          key: { id: account_id }
          columns:
            code: account_code
            opened_on: opened_on
            created_at: created_at
            local_at: local_at
            balance: balance
            ratio: ratio
            note: note
            tags: tags
            scores: scores
            doc: doc
            raw: raw
            term: term
            updated_at: updated_at
          split: [{ from: holder, into: [holder_first, holder_rest] }]
          newerBy: updated_at
        - source: entries
          target: ledger_entries
          key: { id: entry_id }
          columns: { account_id: account_id, amount: amount, memo: memo }
        - source: markers
          target: ledger_markers
          key: { id: marker_id }
        - source: links
          target: ledger_links
          key: { a: link_a, b: link_b }
          columns: { note: note }
cdc:
  transport: ${options.transport}
  kafka:
    brokers: ${options.brokers ?? "127.0.0.1:9"}
    connectUrl: ${options.connectUrl ?? "http://127.0.0.1:9"}
`;
  return parseMigrationConfig(yaml, "ledger-test-config.yaml", {});
}

/** Every difference between the source tables (mapped by the sink's own mapping) and the targets; empty when equal. */
export async function ledgerDifferences(config: MigrationConfig, source: Client, target: Client): Promise<string[]> {
  const tables = config.services[0]?.data?.tables ?? [];
  const all: string[] = [];
  for (const table of tables) all.push(...(await mappedDifferences(table, source, target)));
  return all;
}

/** Dead letters (and conflicts) the sink recorded in the target database, as `kind: reason (row key)` lines. */
export async function deadLetters(target: Client): Promise<string[]> {
  const exists = await target.query(
    "SELECT 1 FROM pg_tables WHERE schemaname = 'strangler_cdc' AND tablename = 'dead_letters'",
  );
  if (exists.rowCount === 0) return [];
  const result = await target.query<{
    kind: string;
    reason: string;
    row_key: string | null;
    source_table: string | null;
  }>("SELECT kind, reason, row_key, source_table FROM strangler_cdc.dead_letters ORDER BY id");
  return result.rows.map((row) => `${row.kind}: ${row.source_table ?? "?"} ${row.row_key ?? ""}: ${row.reason}`);
}
