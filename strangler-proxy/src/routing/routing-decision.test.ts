import { decideRouting, type RoutingFacts } from "./routing-decision";

const read: RoutingFacts = {
  route: "read",
  serveOn: false,
  servicePermit: null,
  shadowOn: false,
  retryable: true,
  safeMethod: true,
  contentLength: null,
  serviceDryRun: false,
  maxRequestBodyBytes: 1024,
  noiseSample: 0.1,
  noiseDraw: 0.5,
};
const write: RoutingFacts = { ...read, route: "write", retryable: false, safeMethod: false, contentLength: 10 };

describe("decideRouting: the primary side", () => {
  it("sends a request no route matched to the monolith, never shadowed", () => {
    expect(decideRouting({ ...read, route: null, serveOn: true, shadowOn: true })).toEqual({
      primary: "legacy",
      why: "no-route",
      shadow: { kind: "none" },
    });
  });

  it("sends to the monolith when serve is off", () => {
    expect(decideRouting(read)).toMatchObject({ primary: "legacy", why: "flag-off" });
  });

  it.each(["pass", "probe"] as const)(
    "sends to the service when serve is on and its breaker permits (%s)",
    (permit) => {
      expect(decideRouting({ ...read, serveOn: true, servicePermit: permit })).toMatchObject({
        primary: "service",
        why: "flag-on",
      });
    },
  );

  it("falls back to the monolith for a retryable request when the breaker is open", () => {
    expect(decideRouting({ ...read, serveOn: true, servicePermit: "reject" })).toMatchObject({
      primary: "legacy",
      why: "breaker-open",
    });
  });

  it("answers unavailable for a write when the breaker is open", () => {
    expect(decideRouting({ ...write, serveOn: true, servicePermit: "reject" })).toMatchObject({
      primary: "unavailable",
      why: "breaker-open",
    });
  });
});

describe("decideRouting: the shadow plan", () => {
  it("mirrors nothing when the shadow flag is off", () => {
    expect(decideRouting({ ...read, serveOn: true, servicePermit: "pass" }).shadow).toEqual({ kind: "none" });
    expect(decideRouting(read).shadow).toEqual({ kind: "none" });
  });

  it("mirrors a read to the service when serve is off", () => {
    expect(decideRouting({ ...read, shadowOn: true }).shadow).toEqual({
      kind: "mirror",
      candidate: "service",
      dryRun: false,
      primaryAgain: false,
    });
  });

  it("mirrors a read to the monolith when serve is on for this user", () => {
    expect(decideRouting({ ...read, serveOn: true, servicePermit: "pass", shadowOn: true }).shadow).toEqual({
      kind: "mirror",
      candidate: "legacy",
      dryRun: false,
      primaryAgain: false,
    });
  });

  it("sends a read to the primary's side again when the draw falls in the noise sample", () => {
    expect(decideRouting({ ...read, shadowOn: true, noiseDraw: 0.05 }).shadow).toMatchObject({ primaryAgain: true });
    expect(decideRouting({ ...read, shadowOn: true, noiseDraw: 0.1 }).shadow).toMatchObject({ primaryAgain: false });
    expect(decideRouting({ ...read, shadowOn: true, noiseSample: 0, noiseDraw: 0 }).shadow).toMatchObject({
      primaryAgain: false,
    });
  });

  it("mirrors a write with dry-run to a service that honours it, never a noise sample", () => {
    expect(decideRouting({ ...write, shadowOn: true, serviceDryRun: true, noiseDraw: 0 }).shadow).toEqual({
      kind: "mirror",
      candidate: "service",
      dryRun: true,
      primaryAgain: false,
    });
  });

  it("treats an unsafe method on a read route as a write", () => {
    expect(decideRouting({ ...read, safeMethod: false, shadowOn: true }).shadow).toEqual({
      kind: "skipped",
      reason: "write_without_dry_run",
    });
  });

  it("skips a write to a service without dry-run", () => {
    expect(decideRouting({ ...write, shadowOn: true }).shadow).toEqual({
      kind: "skipped",
      reason: "write_without_dry_run",
    });
  });

  it("never mirrors a write to the monolith, even when the service honours dry-run", () => {
    expect(
      decideRouting({ ...write, serveOn: true, servicePermit: "pass", shadowOn: true, serviceDryRun: true }).shadow,
    ).toEqual({ kind: "skipped", reason: "write_without_dry_run" });
  });

  it("skips a request whose Content-Length is above the tee bound, mirrors one at the bound", () => {
    const dryRunWrite = { ...write, shadowOn: true, serviceDryRun: true };
    expect(decideRouting({ ...dryRunWrite, contentLength: 1025 }).shadow).toEqual({
      kind: "skipped",
      reason: "request_body_too_large",
    });
    expect(decideRouting({ ...dryRunWrite, contentLength: 1024 }).shadow).toMatchObject({ kind: "mirror" });
  });

  it("skips shadowing when the service's breaker is open", () => {
    expect(decideRouting({ ...read, serveOn: true, servicePermit: "reject", shadowOn: true }).shadow).toEqual({
      kind: "skipped",
      reason: "breaker_open",
    });
  });
});
