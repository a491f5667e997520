import { parseMigrationConfig } from "@strangler/migration-config";
import { decommissionCleanup } from "./cleanup-script";
import type { LegacyCatalog } from "./legacy-catalog";

const config = parseMigrationConfig(
  [
    "version: 1",
    "legacy: { name: ledger, url: 'http://127.0.0.1:9', database: 'postgresql://app:s3cret@db.test/ledger' }",
    "proxy: { listen: { host: 127.0.0.1, port: 0 }, admin: { host: 127.0.0.1, port: 0 } }",
    "unleash: { url: 'http://127.0.0.1:9' }",
    "services:",
    "  - name: ledger-members",
    "    url: http://127.0.0.1:9",
    "    routes: { writes: [{ id: members-put, methods: [PUT], path: '/members/:id' }] }",
    "    data:",
    "      database: 'postgresql://svc:t0psecret@db.test/members'",
    "      tables:",
    "        - { source: User, target: users, key: { id: id } }",
    '        - { source: \'Sales."Line""Item"\', target: lines, key: { id: id } }',
    "        - { source: gone, target: gone, key: { id: id } }",
    "  - name: ledger-web",
    "    url: http://127.0.0.1:9",
    "    routes: { reads: [{ id: web-get, methods: [GET], path: '/web' }] }",
    "",
  ].join("\n"),
  "cleanup.config.yaml",
);

const catalog: LegacyCatalog = {
  present: [
    { schema: "public", name: "User" },
    { schema: "Sales", name: 'Line"Item' },
  ],
  foreignKeys: [
    {
      table: { schema: "public", name: "Orders" },
      name: "Orders_user_fk",
      references: { schema: "public", name: "User" },
      definition: 'FOREIGN KEY (user_id) REFERENCES "User"(id)',
    },
  ],
  dependentViews: [{ schema: "public", name: "user_names" }],
};

describe("decommissionCleanup", () => {
  const cleanup = decommissionCleanup(config, "ledger-members", catalog, new Date("2026-12-02T12:00:00Z"));

  it("drops the other tables' foreign keys, then the tables present, quoting mixed case and quotes", () => {
    const sql = cleanup.legacySql;
    expect(sql).toContain('ALTER TABLE "public"."Orders" DROP CONSTRAINT IF EXISTS "Orders_user_fk";');
    expect(sql).toContain('DROP TABLE IF EXISTS "public"."User", "Sales"."Line""Item";');
    expect(sql.indexOf("DROP CONSTRAINT IF EXISTS")).toBeLessThan(sql.indexOf("DROP TABLE IF EXISTS"));
    expect(sql).toMatch(/Not in the database \(dropped already\?\), skipped: gone\./);
    expect(sql).toMatch(/Views read these tables: user_names\./);
    expect(sql).not.toMatch(/CASCADE;/);
  });

  it("drops the forward slots before the transaction and both transports' publications inside it", () => {
    const sql = cleanup.legacySql;
    const slotDrop = sql.indexOf("pg_drop_replication_slot(slot_name)");
    expect(slotDrop).toBeGreaterThan(-1);
    expect(slotDrop).toBeLessThan(sql.indexOf("BEGIN;"));
    expect(sql).toContain("('strangler_ledger_members', 'strangler_dbz_ledger_members')");
    expect(sql.indexOf('DROP PUBLICATION IF EXISTS "strangler_dbz_ledger_members";')).toBeGreaterThan(
      sql.indexOf("DROP TABLE IF EXISTS"),
    );
    expect(sql.trimEnd().endsWith("COMMIT;")).toBe(true);
    expect(cleanup.serviceSql).toContain(
      "('strangler_ledger_members_reverse', 'strangler_dbz_ledger_members_reverse')",
    );
    expect(cleanup.serviceSql).not.toMatch(/DROP TABLE/);
  });

  it("says what, for whom and when in the header, and never prints a password", () => {
    expect(cleanup.legacySql).toMatch(/^-- Strangler decommission cleanup of the service "ledger-members": the LEGACY/);
    expect(cleanup.legacySql).toMatch(/-- Generated 2026-12-02T12:00:00\.000Z/);
    expect(cleanup.legacySql).toMatch(/Orders\.Orders_user_fk → User: FOREIGN KEY/);
    for (const text of [cleanup.legacySql, cleanup.serviceSql, cleanup.configNote])
      expect(text).not.toMatch(/s3cret|t0psecret/);
  });

  it("notes the config lines to remove: the routes with their flags and the data section", () => {
    expect(cleanup.configNote).toMatch(/services\[name=ledger-members\]\.routes: leave `routes: \{\}`/);
    expect(cleanup.configNote).toMatch(/strangler\.members-put\.serve, strangler\.members-put\.shadow/);
    expect(cleanup.configNote).toMatch(/database: postgresql:\/\/svc:\*\*\*@db\.test\/members/);
    expect(cleanup.configNote).not.toMatch(/ledger-web/);
  });

  it("refuses a service the config does not have", () => {
    expect(() => decommissionCleanup(config, "nope", catalog, new Date())).toThrow(/no service "nope"/);
  });
});
