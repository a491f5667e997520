import { parseMigrationConfig } from "@strangler/migration-config";
import type { CdcStatusDocument, GateResult, RouteDiffReport, SyncDirections } from "@strangler/ops-contract";
import { createFakePlanStore, type FakePlanStore, SHADOW_LATENCY_BUCKETS_MS } from "@strangler/toolkit-store";
import { createPlanRunner } from "./plan-runner";
import type { PlanEvidence, SideTraffic } from "./plan-evidence";
import type { PlanEffects } from "./plan-runner-types";

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
    "    plan: { canary: { reads: [10, 100] }, gates: { decommission: { evidenceSeconds: 60 } } }",
  ].join("\n"),
  "strangler.config.yaml",
  {},
);

const bounds = SHADOW_LATENCY_BUCKETS_MS;
/** `requests` answered in the bucket of `ms`, `errors` of them failed. */
const side = (requests: number, ms: number, errors = 0): SideTraffic => {
  const latency = new Array<number>(bounds.length + 1).fill(0);
  latency[bounds.findIndex((b) => ms <= b)] = requests;
  return { requests, errors, latency };
};
const route = (compared: number, matches: number): RouteDiffReport => ({
  routeId: "accounts-get",
  service: "accounts",
  compared,
  matches,
  mismatches: compared - matches,
  noiseOnly: 0,
  cdcFirst: 0,
  candidateErrors: 0,
  candidateTimeouts: 0,
  skipped: {},
  matchRate: compared === 0 ? null : matches / compared,
  latency: {
    legacy: { count: 0, p50: null, p95: null, p99: null },
    service: { count: 0, p50: null, p95: null, p99: null },
  },
  signatures:
    compared === matches
      ? []
      : [
          {
            signature: "value /name",
            fields: [{ path: "/name", kind: "value" }],
            count: compared - matches,
            share: 1,
            exampleId: null,
          },
        ],
  noise: [],
});

/** A world whose every source says "healthy" until a test changes one. */
function world() {
  let clock = Date.parse("2026-12-02T12:00:00Z");
  const calls: string[] = [];
  const sources = {
    shadow: [route(500, 500)],
    traffic: { legacy: side(400, 20), service: side(400, 20) },
    violations: 0,
    lastViolationAt: null as number | null,
  };
  const cdc = (): CdcStatusDocument => ({
    warnings: [],
    streams: [
      {
        transport: "embedded",
        direction: "ledger-to-accounts",
        phase: "streaming",
        confirmedLsn: "0/1",
        lastEventAt: clock,
        lagSeconds: 0.1,
        applied: 10,
        deadLettered: 0,
        mode: sync?.forward ?? "apply",
        violations: sources.violations,
        lastViolationAt: sources.lastViolationAt,
      },
      {
        transport: "embedded",
        direction: "accounts-to-ledger",
        phase: sync?.reverse ? "streaming" : "stopped",
        confirmedLsn: "0/1",
        lastEventAt: clock,
        lagSeconds: 0.1,
        applied: 3,
        deadLettered: 0,
      },
    ],
  });
  let sync: SyncDirections | null = null;
  const evidence: PlanEvidence = {
    mappings: async () => ({ gate: "prepare", verdict: "pass", message: "1 table resolves", figures: {} }),
    shadow: async () => sources.shadow,
    lastParityRun: async () => ({
      runId: "pr-1",
      startedAt: new Date(clock - 1000).toISOString(),
      finishedAt: new Date(clock - 500).toISOString(),
      status: "done",
      lagAware: true,
      warnings: [],
      files: [],
      tables: [
        {
          service: "accounts",
          legacyTable: "accounts",
          serviceTable: "account_profiles",
          keyColumns: ["id"],
          mode: "full",
          owner: "legacy",
          status: "done",
          counts: {
            processed: 9,
            matching: 9,
            mismatched: 0,
            onlyInLegacy: 0,
            onlyInService: 0,
            inFlight: 0,
            unsettled: 0,
          },
          columns: {},
          lastKey: null,
          equal: true,
          startedAt: new Date(clock - 1000).toISOString(),
          finishedAt: new Date(clock - 500).toISOString(),
        },
      ],
    }),
    cdcStatus: async () => cdc(),
    traffic: async () => ({ ...sources.traffic, bucketBoundsMs: bounds }),
  };
  let failNext: string | null = null;
  const store: FakePlanStore = createFakePlanStore({ now: () => clock });
  const effects: PlanEffects = {
    async applyFlags(changes) {
      const call = `flags ${changes.map((c) => `${c.routeId}=${c.serve}/${c.shadow}`).join(" ")}`;
      calls.push(call);
      if (failNext && call.includes(failNext)) {
        failNext = null;
        throw new Error("killed mid-step");
      }
    },
    async confirmSync(service, next, version) {
      // The CDC process follows the stored state: the version confirmed must be the one holding these directions.
      const stored = await store.state(service);
      if (stored?.version !== version || JSON.stringify(stored.sync) !== JSON.stringify(next))
        throw new Error(
          `confirming v${version} ${JSON.stringify(next)}, stored v${stored?.version} ${JSON.stringify(stored?.sync)}`,
        );
      sync = next;
      calls.push(`sync ${next === null ? "config" : `${next.forward}/${next.reverse ? "reverse" : "-"}`}`);
    },
    async quietWrites(_service, sideName) {
      calls.push(`quiet ${sideName}`);
      return { gate: "quiet writes", verdict: "pass", message: `${sideName} quiet`, figures: {} };
    },
    async runParity() {
      calls.push("parity");
      return (await evidence.lastParityRun("accounts"))!;
    },
    async writeCleanupScript() {
      calls.push("cleanup script");
      return ["/tmp/decommission-accounts.sql"];
    },
  };
  const runner = createPlanRunner(config, {
    store,
    evidence,
    effects,
    actor: "test",
    now: () => clock,
    sleep: async (ms) => void (clock += ms),
  });
  return {
    runner,
    store,
    calls,
    sources,
    advance: (ms: number) => void (clock += ms),
    failOn: (text: string) => void (failNext = text),
  };
}

const verdicts = (gates: readonly GateResult[]) => gates.map((g) => `${g.gate}:${g.verdict}`);

describe("createPlanRunner", () => {
  it("walks a healthy plan to decommission one position per next, handing the writes over in order", async () => {
    const w = world();
    const seen: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      w.advance(61_000);
      const outcome = await w.runner.next("accounts");
      seen.push(`${outcome.result} ${outcome.to}`);
      if (outcome.result === "done") break;
      // Once the service owns everything, the monolith answers nothing on its routes.
      if (outcome.to === "switch writes") w.sources.traffic = { legacy: side(0, 20), service: side(400, 20) };
    }
    expect(seen).toEqual([
      "advanced prepare the service database",
      "advanced sync (snapshot + stream)",
      "advanced verify data",
      "advanced shadow reads",
      "advanced canary reads at 10 % of reads",
      "advanced canary reads at 100 % of reads",
      "advanced switch writes",
      "advanced decommission",
      "done decommission",
    ]);
    const handOver = w.calls.slice(w.calls.indexOf("flags accounts-get=100/100") + 1);
    expect(handOver).toEqual([
      "sync apply/reverse",
      "flags accounts-patch=100/0",
      "quiet legacy",
      "sync watch/reverse",
      "flags accounts-get=100/0",
      "cleanup script",
    ]);
    const state = await w.store.state("accounts");
    expect(state).toMatchObject({
      status: "done",
      owners: { accounts: "service" },
      sync: { forward: "watch", reverse: true },
    });
  });

  it("holds a canary with no traffic on the service and says so: it never passes on no evidence", async () => {
    const w = world();
    for (let i = 0; i < 5; i += 1) {
      w.advance(1000);
      await w.runner.next("accounts");
    }
    expect((await w.store.state("accounts"))?.step).toBe("canary-reads");
    w.sources.traffic = { legacy: side(400, 20), service: side(0, 20) };
    for (let i = 0; i < 3; i += 1) {
      w.advance(60_000);
      const outcome = await w.runner.next("accounts");
      expect(outcome.result).toBe("held");
      expect(verdicts(outcome.gates)).toContain("canary:hold");
      expect(outcome.message).toMatch(/0 of 50 requests|too little|no traffic|hold/);
    }
    expect(await w.store.state("accounts")).toMatchObject({ step: "canary-reads", stage: 0, status: "held" });
    // One audit entry for the hold, not one per measurement.
    expect((await w.store.audit({ service: "accounts" })).filter((e) => e.action === "hold")).toHaveLength(1);
  });

  it("finishes a move interrupted mid-way exactly once on the next run (no double flip)", async () => {
    const w = world();
    for (let i = 0; i < 4; i += 1) {
      w.advance(1000);
      await w.runner.next("accounts");
    }
    w.failOn("accounts-get=10/100");
    w.advance(1000);
    await expect(w.runner.next("accounts")).rejects.toThrow("killed mid-step");
    const interrupted = await w.store.state("accounts");
    expect(interrupted).toMatchObject({ step: "shadow", status: "in_progress", pending: { action: "advance" } });
    const outcome = await w.runner.next("accounts");
    expect(outcome).toMatchObject({ result: "advanced", to: "canary reads at 10 % of reads" });
    expect(await w.store.state("accounts")).toMatchObject({ step: "canary-reads", stage: 0, pending: null });
    const arrivals = (await w.store.audit({ service: "accounts" })).filter(
      (e) => e.action === "advance" && e.after.step === "canary-reads",
    );
    expect(arrivals).toHaveLength(1);
    expect(w.calls.filter((c) => c === "flags accounts-get=10/100")).toHaveLength(2);
    expect(w.calls).not.toContain("flags accounts-get=100/100");
  });

  it("plan auto rolls a failing canary back to the previous share, with the gate figures in the audit log", async () => {
    const w = world();
    const first = await w.runner.auto("accounts", { maxSteps: 5, deadline: Date.parse("2026-12-02T13:00:00Z") });
    expect(first.stoppedBecause).toBe("max-steps");
    w.advance(60_000);
    await w.runner.next("accounts");
    expect(await w.store.state("accounts")).toMatchObject({ step: "canary-reads", stage: 1 });
    w.sources.traffic = { legacy: side(400, 20), service: side(400, 500) };
    const auto = await w.runner.auto("accounts", { maxSteps: 10, deadline: Date.parse("2026-12-02T14:00:00Z") });
    expect(auto.stoppedBecause).toBe("rolled-back");
    expect(await w.store.state("accounts")).toMatchObject({ step: "canary-reads", stage: 0 });
    expect(w.calls.at(-1)).toBe("flags accounts-get=10/100");
    const [rollback] = (await w.store.audit({ service: "accounts" })).filter((e) => e.action === "rollback started");
    expect(rollback?.gates.find((g) => g.gate === "canary")).toMatchObject({ verdict: "fail" });
    expect(JSON.stringify(rollback?.gates)).toMatch(/p50|median/i);
  });

  it("plan auto stops at a failing shadow gate naming the field path, and never moves the canary", async () => {
    const w = world();
    w.sources.shadow = [route(500, 300)];
    const auto = await w.runner.auto("accounts", { maxSteps: 20, deadline: Date.parse("2026-12-02T13:00:00Z") });
    expect(auto.stoppedBecause).toBe("failed");
    expect(auto.final.message).toMatch(/\/name/);
    expect(await w.store.state("accounts")).toMatchObject({ step: "shadow", status: "failed" });
    expect(w.calls.some((c) => /accounts-get=[1-9]/.test(c.replace("accounts-get=0/100", "")))).toBe(false);
  });

  it("rolls the write switch back in reverse: both streams, writes home, the service seen quiet, reverse off", async () => {
    const w = world();
    for (let i = 0; i < 8; i += 1) {
      w.advance(1000);
      const outcome = await w.runner.next("accounts");
      if (outcome.to === "switch writes") w.sources.traffic = { legacy: side(0, 20), service: side(400, 20) };
    }
    expect((await w.store.state("accounts"))?.step).toBe("decommission");
    await w.runner.rollback("accounts");
    w.calls.length = 0;
    await w.runner.rollback("accounts");
    expect(w.calls).toEqual(["sync apply/reverse", "flags accounts-patch=0/0", "quiet service", "sync config"]);
    expect(await w.store.state("accounts")).toMatchObject({
      step: "canary-reads",
      stage: 1,
      owners: { accounts: "legacy" },
      sync: null,
    });
  });

  it("a dry run says what it would do and changes nothing", async () => {
    const w = world();
    const outcome = await w.runner.next("accounts", { dryRun: true });
    expect(outcome).toMatchObject({ result: "dry-run", to: "prepare the service database" });
    expect(await w.store.state("accounts")).toBeUndefined();
    expect(w.calls).toEqual([]);
  });
});
