import { debeziumConnectors } from "@strangler/cdc/src/connectors";
import { type SlotDirection, streamSlotName } from "@strangler/cdc/src/slots";
import {
  formatTableName,
  type MigrationConfig,
  qualifiedTableSql,
  quoteIdentifier,
  type ServiceConfig,
  type TableName,
  tableNameOf,
} from "@strangler/migration-config";
import { DECOMMISSION_LOCK_TIMEOUT_SECONDS } from "../../defaults";
import { configRemovalNote } from "./config-removal-note";
import { foreignKeyLabel, type LegacyCatalog } from "./legacy-catalog";

/** The decommission's output for one service: two SQL scripts (never run by the toolkit) and a config note. */
export interface DecommissionCleanup {
  service: string;
  /** For the legacy database: the forward stream's slots, then foreign keys, tables and publications in one transaction. */
  legacySql: string;
  /** For the service database: the reverse stream's slots and publications. */
  serviceSql: string;
  /** The migration config lines to remove (routes and data section), as YAML with comments. */
  configNote: string;
}

const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;
/** Text for a `--` comment: a line break in a name must not end the comment. */
const comment = (text: string): string => text.replace(/[\r\n]+/g, " ");

/** The service's legacy tables (data.tables[].source), in the config's order. */
export function serviceLegacyTables(service: ServiceConfig): TableName[] {
  return (service.data?.tables ?? []).map((table) => tableNameOf(table.source));
}

function slotNames(service: string, direction: SlotDirection): string[] {
  return [streamSlotName(service, "embedded", direction), streamSlotName(service, "debezium", direction)];
}

/**
 * The slots go first and on their own: pg_drop_replication_slot is not transactional (a ROLLBACK
 * does not bring a dropped slot back), and PostgreSQL refuses to drop a slot a walsender holds.
 * So the script first checks that no stream of the service still holds one (it stops there, before
 * anything is dropped, while a CDC stream or connector is still running), then drops them; a rerun
 * finds them gone and goes on (only existing slots are dropped).
 */
function slotStatements(slots: readonly string[]): string[] {
  const list = slots.map(literal).join(", ");
  return [
    "DO $$",
    "DECLARE busy text;",
    "BEGIN",
    "  SELECT string_agg(slot_name || ' (pid ' || active_pid || ')', ', ') INTO busy",
    `    FROM pg_replication_slots WHERE slot_name IN (${list}) AND active;`,
    "  IF busy IS NOT NULL THEN",
    "    RAISE EXCEPTION 'replication slot(s) still in use: %; stop the service''s CDC streams first', busy;",
    "  END IF;",
    "END $$;",
    "SELECT count(pg_drop_replication_slot(slot_name)) AS dropped_slots",
    `  FROM pg_replication_slots WHERE slot_name IN (${list}) AND database = current_database();`,
  ];
}

/** Said in both scripts' headers (see slotStatements). */
const SLOTS_NOTE = [
  "The slots are dropped first and outside the transaction: pg_drop_replication_slot is not",
  "transactional (a ROLLBACK does not bring a dropped slot back) and fails on a slot a stream still",
  "holds; the check before it stops the script while one does, and a rerun skips the slots already gone.",
];

function header(lines: readonly string[]): string[] {
  return lines.map((line) => (line === "" ? "--" : `-- ${comment(line)}`));
}

/**
 * Writes (never runs) the decommission cleanup of one service from the migration config and the
 * legacy catalog (readLegacyCatalog): the legacy database's script drops the foreign keys other
 * tables hold on the service's legacy tables, the tables themselves and the toolkit's publications
 * of the service's forward stream, in one transaction, after dropping the forward stream's slots;
 * the service database's script drops the reverse stream's slots and publications. Both
 * transports' names are covered (embedded and Debezium), whichever the config uses now.
 */
export function decommissionCleanup(
  config: MigrationConfig,
  serviceName: string,
  catalog: LegacyCatalog,
  generatedAt: Date,
): DecommissionCleanup {
  const service = config.services.find((s) => s.name === serviceName);
  if (!service)
    throw new Error(
      `no service "${serviceName}" in the migration config (services: ${config.services.map((s) => s.name).join(", ")})`,
    );
  const when = generatedAt.toISOString();
  const tables = serviceLegacyTables(service);
  const present = tables.filter((t) => catalog.present.some((p) => p.schema === t.schema && p.name === t.name));
  const missing = tables.filter((t) => !present.includes(t));
  const forward = slotNames(service.name, "forward");
  const reverse = slotNames(service.name, "reverse");
  const connectors = debeziumConnectors(config)
    .filter((c) => c.service === service.name)
    .map((c) => c.connector.name);
  const stopFirst = [
    "Before running it, stop the service's CDC streams (remove its data section and restart the CDC process,",
    `or delete the Debezium connectors ${connectors.join(", ") || "(none)"}): the script stops at a slot still in use.`,
  ];

  const legacy = header([
    `Strangler decommission cleanup of the service "${service.name}": the LEGACY database (${config.legacy.name}).`,
    `Generated ${when}. The toolkit never runs it: review it, then run it once with`,
    "  psql <legacy database URL> -v ON_ERROR_STOP=1 -f <this file>",
    ...stopFirst,
    "",
    "What it does:",
    `1. drops the toolkit's replication slots of the forward stream here, if present: ${forward.join(", ")};`,
    "2. in one transaction (all or nothing):",
    catalog.foreignKeys.length === 0
      ? "   - no other table has a foreign key on the service's tables;"
      : "   - drops the foreign keys other tables hold on the service's tables (those legacy features lose these checks):",
    ...catalog.foreignKeys.map(
      (key) => `       ${foreignKeyLabel(key)} → ${formatTableName(key.references)}: ${key.definition}`,
    ),
    `   - drops the service's legacy tables: ${present.map(formatTableName).join(", ") || "(none left)"};`,
    `   - drops the publications of the forward stream, if present: ${forward.join(", ")}.`,
    ...(missing.length > 0
      ? ["", `Not in the database (dropped already?), skipped: ${missing.map(formatTableName).join(", ")}.`]
      : []),
    "",
    ...SLOTS_NOTE,
    ...(catalog.dependentViews.length > 0
      ? [
          "",
          `Views read these tables: ${catalog.dependentViews.map(formatTableName).join(", ")}.`,
          "Nothing is dropped with CASCADE: the DROP TABLE stops on them until they are dropped or changed.",
        ]
      : []),
  ]);
  const legacySql = [
    ...legacy,
    "",
    "\\set ON_ERROR_STOP on",
    "",
    "-- 1. The forward stream's replication slots (outside the transaction: see above).",
    ...slotStatements(forward),
    "",
    "-- 2. Foreign keys, tables and publications: one transaction.",
    "BEGIN;",
    `-- Dropping a table locks it exclusively: give up rather than queue the monolith's traffic behind a long lock wait.`,
    `SET LOCAL lock_timeout = '${DECOMMISSION_LOCK_TIMEOUT_SECONDS}s';`,
    ...catalog.foreignKeys.flatMap((key) => [
      `-- ${comment(`${foreignKeyLabel(key)}: ${key.definition}`)}`,
      `ALTER TABLE ${qualifiedTableSql(key.table)} DROP CONSTRAINT IF EXISTS ${quoteIdentifier(key.name)};`,
    ]),
    ...(present.length > 0 ? [`DROP TABLE IF EXISTS ${present.map(qualifiedTableSql).join(", ")};`] : []),
    ...forward.map((name) => `DROP PUBLICATION IF EXISTS ${quoteIdentifier(name)};`),
    "COMMIT;",
    "",
  ].join("\n");

  const serviceSql = [
    ...header([
      `Strangler decommission cleanup of the service "${service.name}": the SERVICE database.`,
      `Generated ${when}. The toolkit never runs it: review it, then run it once with`,
      "  psql <service database URL> -v ON_ERROR_STOP=1 -f <this file>",
      ...stopFirst,
      "",
      `It drops the toolkit's replication slots and publications of the reverse stream, if present: ${reverse.join(", ")}.`,
      "The service's own tables stay: it owns them now.",
      "",
      ...SLOTS_NOTE,
    ]),
    "",
    "\\set ON_ERROR_STOP on",
    "",
    ...slotStatements(reverse),
    "BEGIN;",
    ...reverse.map((name) => `DROP PUBLICATION IF EXISTS ${quoteIdentifier(name)};`),
    "COMMIT;",
    "",
  ].join("\n");

  return { service: service.name, legacySql, serviceSql, configNote: configRemovalNote(service, when) };
}
