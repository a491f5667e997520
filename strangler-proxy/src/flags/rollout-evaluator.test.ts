import type { FeatureInterface } from "unleash-client/lib/feature";
import UnleashClient from "unleash-client/lib/client";
import { defaultStrategies } from "unleash-client/lib/strategy";
import { compileRolloutEvaluator } from "./rollout-evaluator";

const rollout = (name: string, percentage: number, groupId: string = name) => ({
  name: "flexibleRollout",
  parameters: { rollout: String(percentage), stickiness: "default", groupId },
  constraints: [],
});

/** unleash-client's own evaluation of one feature, for comparison. */
function unleashDecision(feature: FeatureInterface): (context: { userId?: string; sessionId?: string }) => boolean {
  const repository = {
    getToggle: (name: string) => (name === feature.name ? feature : undefined),
    getSegment: () => undefined,
  };
  const client = new UnleashClient(repository as never, defaultStrategies);
  return (context) =>
    client.isEnabled(feature.name, { appName: "t", environment: "development", ...context }, () => false);
}

describe("rollout evaluator", () => {
  it.each([0, 1, 25, 50, 99, 100])(
    "decides a %i %% rollout exactly as unleash-client does, user by user",
    (percentage) => {
      const feature: FeatureInterface = {
        name: "strangler.users-list.serve",
        enabled: true,
        strategies: [rollout("strangler.users-list.serve", percentage)],
      };
      const fast = compileRolloutEvaluator(feature);
      const reference = unleashDecision(feature);
      expect(fast).not.toBeNull();
      const contexts = Array.from({ length: 2_000 }, (_, i) => [
        { userId: `user-${i}` },
        { sessionId: `session-${i}` },
        { userId: `u${i}`, sessionId: "s" },
      ]).flat();
      expect(contexts.filter((context) => fast?.(context) !== reference(context))).toEqual([]);
    },
  );

  it("decides flags that are off, on without strategies, with the default strategy, or with several rollouts", () => {
    const features: FeatureInterface[] = [
      { name: "off", enabled: false, strategies: [rollout("off", 100)] },
      { name: "bare", enabled: true, strategies: [] },
      { name: "default", enabled: true, strategies: [{ name: "default", parameters: {}, constraints: [] }] },
      { name: "two", enabled: true, strategies: [rollout("two", 10, "a"), rollout("two", 30, "b")] },
    ];
    for (const feature of features) {
      const fast = compileRolloutEvaluator(feature);
      const reference = unleashDecision(feature);
      const differ = Array.from({ length: 500 }, (_, i) => ({ userId: `user-${i}` })).filter(
        (context) => fast?.(context) !== reference(context),
      );
      expect({ name: feature.name, differ }).toEqual({ name: feature.name, differ: [] });
    }
  });

  it("leaves to unleash-client the flags it does not decide the same way", () => {
    const base = { name: "f", enabled: true };
    expect(compileRolloutEvaluator({ ...base, impressionData: true, strategies: [] })).toBeNull();
    expect(compileRolloutEvaluator({ ...base, dependencies: [{ feature: "g" }], strategies: [] })).toBeNull();
    expect(
      compileRolloutEvaluator({
        ...base,
        strategies: [
          {
            ...rollout("f", 50),
            constraints: [{ contextName: "userId", operator: "IN" as never, values: ["1"], inverted: false }],
          },
        ],
      }),
    ).toBeNull();
    expect(compileRolloutEvaluator({ ...base, strategies: [{ ...rollout("f", 50), segments: [1] }] })).toBeNull();
    expect(
      compileRolloutEvaluator({
        ...base,
        strategies: [
          {
            name: "flexibleRollout",
            parameters: { rollout: "50", stickiness: "tenantId", groupId: "f" },
            constraints: [],
          },
        ],
      }),
    ).toBeNull();
    expect(
      compileRolloutEvaluator({
        ...base,
        strategies: [{ name: "userWithId", parameters: { userIds: "1" }, constraints: [] }],
      }),
    ).toBeNull();
  });

  it("buckets a request without user or session id at random, like unleash-client", () => {
    const fast = compileRolloutEvaluator({ name: "r", enabled: true, strategies: [rollout("r", 50)] });
    const share = Array.from({ length: 4_000 }, () => fast?.({})).filter(Boolean).length / 4_000;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
  });
});
