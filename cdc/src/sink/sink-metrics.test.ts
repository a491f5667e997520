import { Registry } from "prom-client";
import { createSinkMetrics } from "./sink-metrics";

describe("sink metrics", () => {
  it("lets both directions register their series in one registry", async () => {
    const registry = new Registry();
    const forward = createSinkMetrics(registry);
    const reverse = createSinkMetrics(registry);
    forward.applied.inc({ direction: "monolith-to-users-service", table: "users" });
    reverse.applied.inc({ direction: "users-service-to-monolith", table: "user_profiles" }, 2);
    const text = await registry.metrics();
    expect(text).toContain('strangler_cdc_applied_events_total{direction="monolith-to-users-service",table="users"} 1');
    expect(text).toContain(
      'strangler_cdc_applied_events_total{direction="users-service-to-monolith",table="user_profiles"} 2',
    );
  });

  it("creates its own registry when none is given", () => {
    expect(createSinkMetrics().registry).toBeInstanceOf(Registry);
  });
});
