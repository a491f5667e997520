import { parseMigrationConfig } from "@strangler/migration-config";
import { initialPlanState, servicePlan } from "./plan-steps";

const config = parseMigrationConfig(
  [
    "version: 1",
    'legacy: { name: ledger, url: "http://127.0.0.1:9", database: "postgresql://u@127.0.0.1:5/ledger" }',
    'unleash: { url: "http://127.0.0.1:9" }',
    "services:",
    "  - name: accounts",
    '    url: "http://127.0.0.1:9"',
    "    dryRun: true",
    "    routes:",
    "      reads: [{ id: accounts-get, methods: [GET], path: '/accounts/:id' }]",
    "      writes: [{ id: accounts-patch, methods: [PATCH], path: '/accounts/:id' }]",
    "    data:",
    '      database: "postgresql://u@127.0.0.1:5/accounts"',
    "      tables: [{ source: accounts, target: account_profiles }, { source: sales.LineItem, target: lines }]",
    "    plan: { canary: { reads: [5, 100] } }",
    "  - name: catalog",
    '    url: "http://127.0.0.1:9"',
    "    routes: { reads: [{ id: items-get, methods: [GET], path: '/items/:id' }] }",
    "    data:",
    '      database: "postgresql://u@127.0.0.1:5/catalog"',
    "      tables: [{ source: items, target: items }]",
    "  - name: mailer",
    '    url: "http://127.0.0.1:9"',
    "    routes: { writes: [{ id: mail-send, methods: [POST], path: '/mail' }] }",
  ].join("\n"),
  "strangler.config.yaml",
  {},
);

describe("servicePlan", () => {
  it("gives a service with data, reads and dry-run writes every step, the canary with its configured shares", () => {
    const steps = servicePlan(config, "accounts");
    expect(steps.map((s) => s.id)).toEqual([
      "prepare",
      "sync",
      "verify-data",
      "shadow",
      "canary-reads",
      "switch-writes",
      "decommission",
    ]);
    expect(steps.find((s) => s.id === "shadow")?.title).toBe("shadow reads and writes (dry-run)");
    expect(steps.find((s) => s.id === "canary-reads")?.stages).toEqual(["5 % of reads", "100 % of reads"]);
    expect(steps.find((s) => s.id === "switch-writes")?.action).toMatch(/reverse stream on.*accounts, sales\.LineItem/);
  });

  it("stops a reads-only service at its canary: the monolith keeps writing its tables, so nothing to decommission", () => {
    expect(servicePlan(config, "catalog").map((s) => s.id)).toEqual([
      "prepare",
      "sync",
      "verify-data",
      "shadow",
      "canary-reads",
    ]);
  });

  it("gives a service without data or reads only the write switch and decommission", () => {
    expect(servicePlan(config, "mailer").map((s) => s.id)).toEqual(["switch-writes", "decommission"]);
  });

  it("names the services there are when asked for one that is not", () => {
    expect(() => servicePlan(config, "billing")).toThrow(/no service "billing".*accounts, catalog, mailer/);
  });
});

test("a plan starts at its first step with the monolith owning every mapped table's writes", () => {
  expect(initialPlanState(config, "accounts")).toEqual({
    step: "prepare",
    stage: 0,
    status: "idle",
    owners: { accounts: "legacy", "sales.LineItem": "legacy" },
    enteredAt: null,
    sync: null,
    pending: null,
  });
});
