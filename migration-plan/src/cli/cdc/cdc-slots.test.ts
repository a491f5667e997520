import path from "node:path";
import type { SlotInventory, ToolkitSlot } from "@strangler/cdc/src/slots";
import { loadMigrationConfig } from "@strangler/migration-config";
import { cdcSlots } from "./cdc-slots";

const EXAMPLE = path.resolve(__dirname, "..", "..", "..", "strangler.config.yaml");
const migration = loadMigrationConfig(EXAMPLE, {});

const slot = (name: string, extra: Partial<ToolkitSlot> = {}): ToolkitSlot => ({
  name,
  transport: "embedded",
  direction: "forward",
  service: "users-service",
  database: "monolith",
  databaseUrl: "postgresql://postgres@127.0.0.1:54329/monolith",
  slot: { active: true, activePid: 4242, retainedBytes: 56, walStatus: "reserved" },
  publication: true,
  used: true,
  ...extra,
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text: string) => void out.push(text), err: (text: string) => void err.push(text) }, out, err };
}

const inventory = (value: SlotInventory) => async () => value;

describe("strangler cdc slots", () => {
  const slots = [
    slot("strangler_users_service"),
    slot("strangler_dbz_users_service", {
      transport: "debezium",
      slot: { active: false, activePid: null, retainedBytes: 3 * 1024 ** 2, walStatus: "reserved" },
      used: false,
    }),
    slot("strangler_dbz_users_service_reverse", {
      transport: "debezium",
      direction: "reverse",
      database: "users_service",
      slot: null,
      used: false,
    }),
  ];

  it("lists each slot and publication with its kind, database, activity, retained WAL and use, then the unused ones with the SQL that drops them", async () => {
    const { io, out, err } = capture();
    expect(
      await cdcSlots(migration, { json: false, configPath: EXAMPLE }, io, inventory({ slots, unreachable: [] })),
    ).toBe(0);
    const text = out.join("");
    expect(text).toMatch(/name\s+kind\s+service\s+database\s+active\s+retained WAL\s+publication\s+used/);
    expect(text).toMatch(
      /strangler_users_service\s+embedded forward\s+users-service\s+monolith\s+yes \(pid 4242\)\s+56 B\s+yes\s+yes/,
    );
    expect(text).toMatch(
      /strangler_dbz_users_service\s+debezium forward\s+users-service\s+monolith\s+no\s+3\.0 MiB\s+yes\s+no/,
    );
    expect(text).toMatch(
      /strangler_dbz_users_service_reverse\s+debezium reverse\s+users-service\s+users_service\s+no slot\s+-\s+yes\s+no/,
    );
    expect(text).toContain(
      'warning: cdc.transport is "embedded", but the Debezium connector\'s replication slot strangler_dbz_users_service',
    );
    expect(text).toContain(
      "SELECT pg_drop_replication_slot('strangler_dbz_users_service'); DROP PUBLICATION IF EXISTS strangler_dbz_users_service;",
    );
    // A publication alone keeps no WAL: listed, not warned about.
    expect(text).not.toContain("pg_drop_replication_slot('strangler_dbz_users_service_reverse')");
    expect(err).toEqual([]);
  });

  it("prints one JSON object with the retained WAL for people too", async () => {
    const { io, out } = capture();
    await cdcSlots(migration, { json: true, configPath: EXAMPLE }, io, inventory({ slots, unreachable: [] }));
    const parsed = JSON.parse(out.join("")) as {
      config: string;
      transport: string;
      slots: Array<{ name: string; retained: string | null; used: boolean }>;
      warnings: string[];
    };
    expect(parsed).toMatchObject({ config: EXAMPLE, transport: "embedded" });
    expect(parsed.slots.map((s) => [s.name, s.retained, s.used])).toEqual([
      ["strangler_users_service", "56 B", true],
      ["strangler_dbz_users_service", "3.0 MiB", false],
      ["strangler_dbz_users_service_reverse", null, false],
    ]);
    expect(parsed.warnings).toHaveLength(1);
  });

  it("exits 1 naming a database it could not read, after listing the others; fails outright when it could read none", async () => {
    const unreachable = [
      {
        databaseUrl: "postgresql://postgres:***@127.0.0.1:1/users_service",
        error: "cannot connect to the users-service database …: ECONNREFUSED",
      },
    ];
    const some = capture();
    expect(
      await cdcSlots(
        migration,
        { json: false, configPath: EXAMPLE },
        some.io,
        inventory({ slots: [slots[0] as ToolkitSlot], unreachable }),
      ),
    ).toBe(1);
    expect(some.out.join("")).toContain("strangler_users_service");
    expect(some.err.join("")).toContain(
      "could not read the slots of postgresql://postgres:***@127.0.0.1:1/users_service",
    );
    const none = capture();
    await expect(
      cdcSlots(migration, { json: false, configPath: EXAMPLE }, none.io, inventory({ slots: [], unreachable })),
    ).rejects.toMatchObject({ code: "STRANGLER_DATABASE_UNREACHABLE", exitCode: 1 });
  });
});
