import { parseMigrationConfig } from "@strangler/migration-config";
import type { PlanState } from "@strangler/ops-contract";
import { collectPlanStatus, formatPlanStatus } from "./plan-status";

const config = parseMigrationConfig(
  [
    "version: 1",
    'legacy: { name: ledger, url: "http://127.0.0.1:9", database: "postgresql://u@127.0.0.1:5/ledger" }',
    'unleash: { url: "http://127.0.0.1:9" }',
    "services:",
    "  - name: accounts",
    '    url: "http://127.0.0.1:9"',
    "    routes:",
    "      reads: [{ id: accounts-get, methods: [GET], path: '/accounts/:id' }]",
    "      writes: [{ id: accounts-patch, methods: [PATCH], path: '/accounts/:id' }]",
    "    data:",
    '      database: "postgresql://u@127.0.0.1:5/accounts"',
    "      tables: [{ source: accounts, target: account_profiles }]",
    "  - name: catalog",
    '    url: "http://127.0.0.1:9"',
    "    routes: { reads: [{ id: items-get, methods: [GET], path: '/items/:id' }] }",
  ].join("\n"),
  "strangler.config.yaml",
  {},
);

const stored: PlanState = {
  service: "accounts",
  step: "canary-reads",
  stage: 1,
  status: "held",
  owners: { accounts: "legacy" },
  enteredAt: null,
  sync: null,
  pending: null,
  version: 7,
  updatedAt: "2026-12-02T10:00:00.000Z",
};

describe("plan status", () => {
  it("shows a started plan at its stored step and share, and one not started at its first step", async () => {
    const services = await collectPlanStatus(config, { states: async () => [stored] });
    expect(services.map((s) => [s.service, s.effective.step, s.effective.stage, s.state?.version ?? null])).toEqual([
      ["accounts", "canary-reads", 1, 7],
      ["catalog", "shadow", 0, null],
    ]);
    const text = formatPlanStatus(services, { color: false });
    expect(text).toContain("accounts  step 5/7: canary reads (10 % of reads), held");
    expect(text).toMatch(/ {2}✓ verify data\n {2}✓ shadow reads\n {2}▶ canary reads: 1 % of reads → 10 % of reads/);
    expect(text).toContain("  writes owned by: accounts → legacy");
    expect(text).toContain("catalog  step 1/2: shadow reads, not started");
  });

  it("keeps to one service when asked", async () => {
    const services = await collectPlanStatus(config, { states: async () => [] }, "catalog");
    expect(services.map((s) => s.service)).toEqual(["catalog"]);
  });
});
