import { parseMigrationConfig } from "./load-migration-config";
import { configProblems } from "./testing/config-problems";

const text = (plan?: string) =>
  [
    "version: 1",
    'legacy: { url: "http://127.0.0.1:4101" }',
    'unleash: { url: "http://127.0.0.1:4242" }',
    "services:",
    "  - name: users-service",
    '    url: "http://127.0.0.1:4102"',
    "    routes: {}",
    ...(plan === undefined ? [] : [`    plan: ${plan}`]),
  ].join("\n");

describe("a service's plan in the migration config", () => {
  it("needs no plan section: every step's canary shares and gate thresholds have defaults", () => {
    const [service] = parseMigrationConfig(text(), "strangler.config.yaml", {}).services;
    expect(service?.plan).toEqual({
      canary: { reads: [1, 10, 50, 100] },
      gates: {
        shadow: { minSample: 200, minMatchRate: 0.999 },
        canary: { minSample: 50, confidence: 0.98, maxErrorRateIncrease: 0.001, maxLatencyRatio: 1.2 },
        cdc: { maxLagSeconds: 5 },
        parity: { maxAgeSeconds: 3600 },
        decommission: { evidenceSeconds: 86400 },
      },
    });
  });

  it("takes the canary's shares and a gate's thresholds, keeping the other defaults", () => {
    const [service] = parseMigrationConfig(
      text("{ canary: { reads: [5, 25, 100] }, gates: { shadow: { minSample: 20 } } }"),
      "strangler.config.yaml",
      {},
    ).services;
    expect(service?.plan.canary.reads).toEqual([5, 25, 100]);
    expect(service?.plan.gates.shadow).toEqual({ minSample: 20, minMatchRate: 0.999 });
  });

  it("refuses shares that do not rise to 100, and unknown keys, naming the path", () => {
    const shares = configProblems(text("{ canary: { reads: [10, 5] } }"));
    expect(shares).toMatch(/services\[0\]\.plan\.canary\.reads.*must rise step by step/);
    expect(shares).toMatch(/services\[0\]\.plan\.canary\.reads.*must end at 100/);
    expect(configProblems(text("{ gates: { shadow: { minMatch: 1 } } }"))).toMatch(
      /services\[0\]\.plan\.gates\.shadow.*minMatch/,
    );
  });
});
