import { type CdcStreamReport, cdcStatus, collectCdcStatus, formatPosition, lagByDirection } from "./cdc-status";

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

describe("cdc status positions", () => {
  const reply = (body: unknown): Response => new Response(typeof body === "string" ? body : JSON.stringify(body), { status: 200 });
  const fakeFetch = (status: unknown): typeof fetch =>
    (async (url: string | URL | Request) => (String(url).endsWith("/status") ? reply(status) : reply(""))) as typeof fetch;

  it("shows the committed offsets and lag of a Debezium stream, the LSN of an embedded one", async () => {
    const { streams } = await collectCdcStatus(
      "http://cdc",
      fakeFetch({
        streams: [
          { direction: "monolith-to-users-service", transport: "debezium", phase: "streaming", confirmedLsn: "0/47CE0E8", lastEventAt: null, applied: 3, deadLettered: 0, position: [{ topic: "strangler.monolith.public.users", partition: 0, committedOffset: "42", highWatermark: "45", lag: 3 }] },
          { direction: "users-service-to-monolith", phase: "streaming", confirmedLsn: "0/16B3748", lastEventAt: null, applied: 0, deadLettered: 0 },
        ],
      }),
    );
    expect(streams.map((s: CdcStreamReport) => [s.transport, formatPosition(s)])).toEqual([
      ["debezium", "users/0@42 (lag 3)"],
      ["embedded", "0/16B3748"],
    ]);
  });
});

describe("cdc status notes", () => {
  it("says why a stream reconnects and shows the process's warnings, after the table", async () => {
    const status = {
      streams: [{ direction: "monolith-to-users-service", phase: "reconnecting", confirmedLsn: "0/16B3748", lastEventAt: null, applied: 3, deadLettered: 0, lastError: "could not write to the target database postgresql://u:***@db/users_service: connect ECONNREFUSED" }],
      warnings: ["cdc.transport is \"embedded\", but the Debezium connector's replication slot strangler_dbz_users_service …"],
    };
    const fetchImpl = (async (url: string | URL | Request) => new Response(String(url).endsWith("/status") ? JSON.stringify(status) : "", { status: 200 })) as typeof fetch;
    const out: string[] = [];
    expect(await cdcStatus("http://cdc", { json: false }, { out: (t) => void out.push(t), err: () => undefined }, fetchImpl)).toBe(0);
    const text = out.join("");
    expect(text).toContain("monolith-to-users-service reconnecting: could not write to the target database postgresql://u:***@db/users_service");
    expect(text).toContain('warning: cdc.transport is "embedded"');
    const json: string[] = [];
    await cdcStatus("http://cdc", { json: true }, { out: (t) => void json.push(t), err: () => undefined }, fetchImpl);
    expect(JSON.parse(json.join(""))).toMatchObject({ streams: [{ lastError: expect.stringContaining("ECONNREFUSED") }], warnings: [expect.stringContaining("strangler_dbz_users_service")] });
  });
});
