import type { Comparison } from "@strangler/response-compare";
import { SHADOW_EXAMPLES_PER_SIGNATURE_MINUTE, SHADOW_MAX_SIGNATURES_PER_ROUTE_MINUTE } from "../../defaults";
import { createResultAggregator, OTHER_SIGNATURE } from "./result-aggregator";
import { exchange } from "./shadow-results-fixtures";

const mismatch = (field: string) => {
  const differences = [{ path: `/${field}/3`, kind: "value" as const }];
  const comparison: Comparison = { equal: false, differences, signature: `value /${field}/*` };
  return { kind: "mismatch" as const, signature: comparison.signature, differences, comparison };
};

describe("the result aggregator", () => {
  it("counts mismatches per signature with generalised fields, and asks for the first examples of each per minute", () => {
    const aggregator = createResultAggregator();
    const wanted = Array.from({ length: 4 }, () => aggregator.add(exchange(), mismatch("price")));
    expect(wanted).toEqual(Array.from({ length: 4 }, (_, i) => i < SHADOW_EXAMPLES_PER_SIGNATURE_MINUTE));
    // A new minute samples again.
    expect(aggregator.add(exchange({ at: exchange().at + 60_000 }), mismatch("price"))).toBe(true);
    const { minutes } = aggregator.take();
    expect(minutes.map((m) => [m.mismatches, m.signatures])).toEqual([
      [4, [{ signature: "value /price/*", fields: [{ path: "/price/*", kind: "value" }], count: 4 }]],
      [1, [{ signature: "value /price/*", fields: [{ path: "/price/*", kind: "value" }], count: 1 }]],
    ]);
    expect(aggregator.take().minutes).toEqual([]);
  });

  it(`keeps at most ${SHADOW_MAX_SIGNATURES_PER_ROUTE_MINUTE} signatures per route and minute and counts the rest under one catch-all`, () => {
    const aggregator = createResultAggregator();
    for (let i = 0; i < SHADOW_MAX_SIGNATURES_PER_ROUTE_MINUTE + 20; i += 1)
      aggregator.add(exchange(), mismatch(`f${i}`));
    // A signature already kept is still counted as itself.
    aggregator.add(exchange(), mismatch("f0"));
    const [minute] = aggregator.take().minutes;
    expect(minute?.mismatches).toBe(SHADOW_MAX_SIGNATURES_PER_ROUTE_MINUTE + 21);
    expect(minute?.signatures).toHaveLength(SHADOW_MAX_SIGNATURES_PER_ROUTE_MINUTE + 1);
    expect(minute?.signatures.find((s) => s.signature === OTHER_SIGNATURE)).toEqual({
      signature: OTHER_SIGNATURE,
      fields: [],
      count: 20,
    });
    expect(minute?.signatures.find((s) => s.signature === "value /f0/*")?.count).toBe(2);
  });

  it("counts skips by reason beside the verdicts", () => {
    const aggregator = createResultAggregator();
    aggregator.skip(exchange().at, "things-get", "things-service", "breaker_open");
    aggregator.skip(exchange().at, "things-get", "things-service", "breaker_open");
    aggregator.add(exchange(), { kind: "skipped", reason: "response_too_large" });
    aggregator.add(exchange(), { kind: "match" });
    const [minute] = aggregator.take().minutes;
    expect(minute).toMatchObject({ compared: 1, matches: 1, skipped: { breaker_open: 2, response_too_large: 1 } });
  });
});
