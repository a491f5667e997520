import type { DiffExample, DiffReport } from "@strangler/ops-contract";
import type { DiffReportQuery } from "@strangler/toolkit-store";
import pino from "pino";
import { ProxyError } from "../errors/proxy-error";
import { createDiffAdmin } from "./diff-admin";
import type { DiffResultsReader } from "./diff-results-reader";

const NOW = Date.parse("2026-12-02T12:00:00Z");
const logger = pino({ level: "silent" });
const report: DiffReport = { since: "2026-12-02T11:00:00.000Z", until: "2026-12-02T12:00:00.000Z", routes: [] };
const example: DiffExample = {
  id: "ex-1",
  at: "2026-12-02T11:30:00.000Z",
  routeId: "accounts-get",
  service: "accounts",
  primary: "legacy",
  method: "GET",
  path: "/accounts/7",
  requestHeaders: {},
  requestBody: null,
  requestId: "r",
  traceId: "t",
  signature: "s",
  answers: {
    legacy: { status: 200, headers: {}, body: "{}", latencyMs: 1 },
    service: { status: 500, headers: {}, body: "", latencyMs: 2 },
  },
  differences: [{ path: "", kind: "status", legacy: "200", service: "500" }],
};

function fakeReader(options: { failure?: Error; report?: unknown } = {}) {
  const queries: DiffReportQuery[] = [];
  const reader: DiffResultsReader = {
    report: async (query) => {
      queries.push(query);
      if (options.failure) throw options.failure;
      return (options.report ?? report) as DiffReport;
    },
    example: async (id) => (id === "ex-1" ? example : undefined),
  };
  return { reader, queries };
}

const params = (text: string) => new URLSearchParams(text);
async function failure(answer: Promise<unknown> | undefined | (() => unknown)): Promise<ProxyError> {
  try {
    await (typeof answer === "function" ? answer() : answer);
  } catch (error) {
    return error as ProxyError;
  }
  throw new Error("expected a ProxyError");
}

describe("GET /admin/diff/…", () => {
  it("reads the report for the window, route and service the query names", async () => {
    const { reader, queries } = fakeReader();
    const diff = createDiffAdmin(reader, logger, () => NOW);
    expect(await diff("/admin/diff/report", params(""))).toEqual(report);
    await diff("/admin/diff/report", params("since=15m&route=accounts-get"));
    await diff("/admin/diff/report", params("since=2026-12-01T00:00:00Z&service=accounts"));
    expect(queries).toEqual([
      { since: NOW - 3_600_000, until: NOW, routeId: undefined, service: undefined },
      { since: NOW - 900_000, until: NOW, routeId: "accounts-get", service: undefined },
      { since: Date.parse("2026-12-01T00:00:00Z"), until: NOW, routeId: undefined, service: "accounts" },
    ]);
  });

  it("answers 400 naming since for a bad window, and for route and service together", async () => {
    const diff = createDiffAdmin(fakeReader().reader, logger, () => NOW);
    const bad = await failure(() => diff("/admin/diff/report", params("since=soon")));
    expect(bad).toMatchObject({ status: 400, code: "STRANGLER_BAD_REQUEST" });
    expect(bad.message).toMatch(/^since: 'soon' is neither a duration/);
    expect(await failure(() => diff("/admin/diff/report", params("route=a&service=b")))).toMatchObject({ status: 400 });
  });

  it("serves an example by id, 404 for an unknown one", async () => {
    const diff = createDiffAdmin(fakeReader().reader, logger, () => NOW);
    expect(await diff("/admin/diff/examples/ex-1", params(""))).toEqual(example);
    const missing = await failure(diff("/admin/diff/examples/ex-9", params("")));
    expect(missing).toMatchObject({ status: 404, code: "STRANGLER_NOT_FOUND" });
    expect(missing.message).toContain("ex-9");
  });

  it("answers 503 saying to set toolkit.database when there is none", async () => {
    const diff = createDiffAdmin(null, logger, () => NOW);
    for (const path of ["/admin/diff/report", "/admin/diff/examples/ex-1"]) {
      const error = await failure(diff(path, params("")));
      expect(error).toMatchObject({ status: 503, retriable: true });
      expect(error.message).toContain("set toolkit.database");
    }
  });

  it("answers 503 with the cause when the toolkit database cannot be read", async () => {
    const diff = createDiffAdmin(fakeReader({ failure: new Error("connect ECONNREFUSED") }).reader, logger, () => NOW);
    const error = await failure(diff("/admin/diff/report", params("")));
    expect(error).toMatchObject({ status: 503, code: "STRANGLER_SERVICE_UNAVAILABLE" });
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("never serves a store answer that is not the contract's document", async () => {
    const diff = createDiffAdmin(fakeReader({ report: { since: "x" } }).reader, logger, () => NOW);
    expect(await failure(diff("/admin/diff/report", params("")))).toMatchObject({ status: 500 });
  });

  it("leaves other paths to the admin handler", () => {
    expect(createDiffAdmin(null, logger)("/admin/diff/other", params(""))).toBeUndefined();
    expect(createDiffAdmin(null, logger)("/admin/diff/examples/a/b", params(""))).toBeUndefined();
  });
});
