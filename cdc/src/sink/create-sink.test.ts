import { sinkReplicationOrigin } from ".";

describe("sinkReplicationOrigin", () => {
  it("names the origin after the direction, with characters PostgreSQL names keep", () => {
    expect(sinkReplicationOrigin("monolith-to-users-service")).toBe("strangler_sink_monolith_to_users_service");
    expect(sinkReplicationOrigin("users_service.v2")).toBe("strangler_sink_users_service_v2");
  });
});
