import { lagByDirection } from "./cdc-status";

describe("lagByDirection", () => {
  it("takes the largest last lag of each direction from the Prometheus text", () => {
    const text = [
      "# HELP strangler_cdc_last_lag_seconds lag",
      'strangler_cdc_last_lag_seconds{direction="monolith-to-users-service",table="users"} 0.042',
      'strangler_cdc_last_lag_seconds{direction="monolith-to-users-service",table="orders"} 0.1',
      'strangler_cdc_last_lag_seconds{direction="users-service-to-monolith",table="user_profiles"} 2e-3',
      'strangler_cdc_applied_events_total{direction="monolith-to-users-service",table="users"} 7',
    ].join("\n");
    expect(Object.fromEntries(lagByDirection(text))).toEqual({ "monolith-to-users-service": 0.1, "users-service-to-monolith": 0.002 });
  });
});
