import type { CdcStatusDocument, DebeziumStreamStatus, EmbeddedStreamStatus } from "@strangler/ops-contract";
import type { CliIo } from "../cli-io";
import { type CdcFetch, cdcStatus, collectCdcStatus, formatPosition } from "./cdc-status";

// The fakes serve the operations contract's own types: a field renamed there fails to compile here.
const embedded: EmbeddedStreamStatus = {
  transport: "embedded",
  direction: "legacy-to-svc",
  phase: "streaming",
  confirmedLsn: "0/16B3748",
  lastEventAt: 1_700_000_000_000,
  lagSeconds: 0.042,
  applied: 7,
  deadLettered: 1,
  queued: 0,
};
const debezium: DebeziumStreamStatus = {
  transport: "debezium",
  direction: "svc-to-legacy",
  phase: "streaming",
  confirmedLsn: "0/47CE0E8",
  lastEventAt: null,
  lagSeconds: null,
  applied: 3,
  deadLettered: 0,
  position: [
    { topic: "strangler.svc.public.accounts", partition: 0, committedOffset: "42", highWatermark: "45", lag: 3 },
  ],
  echoes: 0,
  tombstones: 0,
  invalid: 0,
  uncommitted: 0,
  assignment: { "strangler.svc.public.accounts": [0] },
  groupJoins: 1,
};

const serving =
  (body: unknown, status = 200): CdcFetch =>
  async () =>
    new Response(typeof body === "string" ? body : JSON.stringify(body), { status });
const capture = () => {
  const out: string[] = [];
  const io: CliIo = { out: (text) => void out.push(text), err: () => undefined };
  return { io, text: () => out.join("") };
};

describe("strangler cdc status", () => {
  it("shows the position, lag and counters the CDC process puts in its status (no /metrics scraping)", async () => {
    const requested: string[] = [];
    const document: CdcStatusDocument = { streams: [embedded, debezium], warnings: [] };
    const fetchImpl: CdcFetch = async (url) => {
      requested.push(url);
      return new Response(JSON.stringify(document));
    };
    const { io, text } = capture();
    expect(await cdcStatus("http://cdc:4300", { json: false }, io, fetchImpl)).toBe(0);
    expect(requested).toEqual(["http://cdc:4300/status"]);
    expect(text()).toMatch(
      /legacy-to-svc\s+embedded\s+streaming\s+0\/16B3748\s+42 ms\s+7\s+1\s+2023-11-14T22:13:20\.000Z/,
    );
    expect(text()).toMatch(/svc-to-legacy\s+debezium\s+streaming\s+accounts\/0@42 \(lag 3\)\s+-\s+3\s+0\s+-/);
    expect(formatPosition({ ...debezium, position: [] })).toBe("-");
  });

  it("says why a stream reconnects and shows the process's warnings, after the table; --json keeps them", async () => {
    const document: CdcStatusDocument = {
      streams: [
        {
          ...embedded,
          phase: "reconnecting",
          lastError: "could not write to the target database postgresql://u:***@db/svc: connect ECONNREFUSED",
        },
      ],
      warnings: ['cdc.transport is "embedded", but the Debezium connector\'s replication slot strangler_dbz_svc …'],
    };
    const people = capture();
    await cdcStatus("http://cdc", { json: false }, people.io, serving(document));
    expect(people.text()).toContain(
      "legacy-to-svc reconnecting: could not write to the target database postgresql://u:***@db/svc",
    );
    expect(people.text()).toContain('warning: cdc.transport is "embedded"');
    const json = capture();
    await cdcStatus("http://cdc", { json: true }, json.io, serving(document));
    expect(JSON.parse(json.text())).toEqual({ cdc: "http://cdc", ...document });
  });

  it("shows each stream's mode and violations, and the directions in force per service", async () => {
    const document: CdcStatusDocument = {
      streams: [{ ...embedded, mode: "watch", violations: 2, lastViolationAt: 1_700_000_000_000 }],
      warnings: [],
      plan: [{ service: "svc", version: 7, sync: { forward: "watch", reverse: true }, appliedAt: 1_700_000_000_000 }],
    };
    const people = capture();
    await cdcStatus("http://cdc", { json: false }, people.io, serving(document));
    expect(people.text()).toMatch(/legacy-to-svc\s+embedded\s+.*2023-11-14T22:13:20\.000Z\s+watch\s+2/);
    expect(people.text()).toContain(
      "plan svc: forward watch, reverse on (plan version 7, since 2023-11-14T22:13:20.000Z)",
    );
    expect(people.text()).toContain(
      "legacy-to-svc: 2 write violation(s) while watching, the last at 2023-11-14T22:13:20.000Z",
    );
    const json = capture();
    await cdcStatus("http://cdc", { json: true }, json.io, serving(document));
    expect(JSON.parse(json.text())).toEqual({ cdc: "http://cdc", ...document });
  });

  it("names the URL and the field when the answer is not the contract's status", async () => {
    const old = { streams: [{ ...embedded, lagSeconds: undefined, applied: "7" }], warnings: [] };
    await expect(collectCdcStatus("http://cdc:4300", serving(old))).rejects.toMatchObject({
      code: "STRANGLER_CDC_BAD_RESPONSE",
      message: expect.stringMatching(
        /^GET http:\/\/cdc:4300\/status answered a document that is not the CDC process's status: streams\[0\]\.lagSeconds: /,
      ),
    });
    await expect(collectCdcStatus("http://cdc:4300", serving("not json"))).rejects.toMatchObject({
      code: "STRANGLER_CDC_BAD_RESPONSE",
      message: expect.stringContaining("not JSON"),
    });
    await expect(collectCdcStatus("http://cdc:4300", serving("oops", 500))).rejects.toMatchObject({
      code: "STRANGLER_CDC_BAD_RESPONSE",
      status: 500,
    });
  });

  it("says where it looked when nothing answers", async () => {
    const refused: CdcFetch = async () => {
      throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    };
    await expect(collectCdcStatus("http://127.0.0.1:4300", refused)).rejects.toMatchObject({
      code: "STRANGLER_CDC_UNREACHABLE",
      retriable: true,
      message: expect.stringContaining("the CDC process is not reachable at http://127.0.0.1:4300 (ECONNREFUSED)"),
    });
  });
});
