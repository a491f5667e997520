import { Registry } from "prom-client";
import { RequestSeries } from "./request-series";

describe("request series", () => {
  it("exposes counts and a cumulative duration histogram in the Prometheus text format", async () => {
    const series = new RequestSeries("t_requests_total", "requests", "t_duration_seconds", "duration", [0.01, 0.1]);
    const registry = new Registry();
    registry.setDefaultLabels({ app: "x" });
    for (const metric of series.metrics()) registry.registerMetric(metric);
    series.observe("users-list", "users-service", 200, 0.005);
    series.observe("users-list", "users-service", 200, 0.05);
    series.observe("users-list", "users-service", 503, 0.5);
    series.observe("-", "monolith", 200, 0.01);
    const text = await registry.metrics();
    expect(text).toContain("# TYPE t_requests_total counter");
    expect(text).toContain('t_requests_total{route="users-list",backend="users-service",status="200",app="x"} 2');
    expect(text).toContain('t_requests_total{route="users-list",backend="users-service",status="503",app="x"} 1');
    expect(text).toContain("# TYPE t_duration_seconds histogram");
    expect(text).toContain('t_duration_seconds_bucket{route="users-list",backend="users-service",le="0.01",app="x"} 1');
    expect(text).toContain('t_duration_seconds_bucket{route="users-list",backend="users-service",le="0.1",app="x"} 2');
    expect(text).toContain('t_duration_seconds_bucket{route="users-list",backend="users-service",le="+Inf",app="x"} 3');
    expect(text).toContain('t_duration_seconds_sum{route="users-list",backend="users-service",app="x"} 0.555');
    expect(text).toContain('t_duration_seconds_count{route="users-list",backend="users-service",app="x"} 3');
    // A value equal to a bound falls in that bucket (le = less than or equal).
    expect(text).toContain('t_duration_seconds_bucket{route="-",backend="monolith",le="0.01",app="x"} 1');
  });
});
