import type { ProxyRoutingReport } from "@strangler/ops-contract";
import { CliError } from "../cli-error";
import { createProxyRoutesReader, type ProxyFetch } from "./proxy-admin-client";

// The fake proxy serves the operations contract's own type.
const report: ProxyRoutingReport = {
  flags: { source: "unleash", lastSyncAt: "2026-12-02T09:00:00.000Z", ageSeconds: 0.3 },
  routes: [
    {
      id: "accounts-list",
      service: "accounts",
      kind: "read",
      methods: ["GET"],
      path: "/accounts",
      serve: { flag: "strangler.accounts-list.serve", enabled: true, rollout: 10 },
      shadow: { flag: "strangler.accounts-list.shadow", enabled: false, rollout: null },
      backend: { url: "http://127.0.0.1:3", healthy: true },
      breaker: { state: "closed", failures: 0 },
    },
  ],
};
const serving =
  (body: unknown, seen: string[] = []): ProxyFetch =>
  async (url, init) => {
    seen.push(`${url} ${new Headers(init.headers).get("authorization")}`);
    return new Response(JSON.stringify(body), { status: 200 });
  };

describe("createProxyRoutesReader", () => {
  it("reads the routing report with the bearer token", async () => {
    const seen: string[] = [];
    const read = createProxyRoutesReader({
      adminUrl: "http://127.0.0.1:4199/",
      token: () => "t0k3n",
      fetch: serving(report, seen),
    });
    expect(await read()).toEqual(report);
    expect(seen).toEqual(["http://127.0.0.1:4199/admin/routes Bearer t0k3n"]);
  });

  it("names the URL and the field when the report is not the contract's", async () => {
    const { breaker: _breaker, ...withoutBreaker } = report.routes[0] as ProxyRoutingReport["routes"][number];
    const read = createProxyRoutesReader({
      adminUrl: "http://127.0.0.1:4199",
      token: () => "t",
      fetch: serving({ ...report, routes: [withoutBreaker] }),
    });
    await expect(read()).rejects.toMatchObject({
      code: "STRANGLER_PROXY_BAD_RESPONSE",
      retriable: false,
      message: expect.stringMatching(
        /^GET http:\/\/127\.0\.0\.1:4199\/admin\/routes answered a document that is not the proxy's routing report: routes\[0\]\.breaker: /,
      ),
    });
  });

  it("asks for the token only when it reads, so a missing token is a reason, not a crash at start", async () => {
    const read = createProxyRoutesReader({
      adminUrl: "http://127.0.0.1:4199",
      token: () => {
        throw new CliError("STRANGLER_TOKEN_MISSING", "no proxy admin token: …");
      },
      fetch: serving(report),
    });
    await expect(read()).rejects.toMatchObject({ code: "STRANGLER_TOKEN_MISSING" });
  });
});
