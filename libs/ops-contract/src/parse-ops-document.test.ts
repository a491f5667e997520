import { cdcStatusSchema } from "./cdc-status";
import { OpsContractError } from "./ops-contract-error";
import { parseOpsDocument, parseOpsResponse } from "./parse-ops-document";
import { proxyRoutingReportSchema } from "./proxy-routing-report";

const from = { document: "the CDC process's status", source: "GET http://127.0.0.1:4300/status" };

const embedded = {
  transport: "embedded",
  direction: "legacy-to-svc",
  phase: "streaming",
  confirmedLsn: "0/16B3748",
  lastEventAt: 1,
  lagSeconds: 0.04,
  applied: 3,
  deadLettered: 0,
};

describe("parseOpsDocument", () => {
  it("returns the document when it matches", () => {
    expect(parseOpsDocument(cdcStatusSchema, { streams: [embedded], warnings: [] }, from).streams[0]).toMatchObject({
      transport: "embedded",
      lagSeconds: 0.04,
    });
  });

  it("names the source and the first field that does not match", () => {
    const wrong = { streams: [embedded, { ...embedded, lagSeconds: "0.1" }], warnings: [] };
    expect(() => parseOpsDocument(cdcStatusSchema, wrong, from)).toThrow(
      expect.objectContaining({
        code: "OPS_DOCUMENT_MISMATCH",
        field: "streams[1].lagSeconds",
        message: expect.stringMatching(
          /^GET http:\/\/127\.0\.0\.1:4300\/status answered a document that is not the CDC process's status: streams\[1\]\.lagSeconds: .*number/,
        ),
      }),
    );
  });

  it("requires the Debezium position of a Debezium stream", () => {
    const debezium = {
      ...embedded,
      transport: "debezium",
      echoes: 0,
      tombstones: 0,
      invalid: 0,
      uncommitted: 0,
      assignment: {},
      groupJoins: 1,
    };
    expect(() => parseOpsDocument(cdcStatusSchema, { streams: [debezium], warnings: [] }, from)).toThrow(
      expect.objectContaining({ field: "streams[0].position" }),
    );
  });

  it("says so when a whole routing report is missing a section", () => {
    expect(() =>
      parseOpsDocument(
        proxyRoutingReportSchema,
        { routes: [] },
        { document: "the proxy's routing report", source: "GET http://p/admin/routes" },
      ),
    ).toThrow("GET http://p/admin/routes answered a document that is not the proxy's routing report: flags:");
  });
});

describe("parseOpsResponse", () => {
  it("rejects a body that is not JSON, showing its start", () => {
    const error = (() => {
      try {
        parseOpsResponse(cdcStatusSchema, "<html>gateway</html>", from);
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(OpsContractError);
    expect(error).toMatchObject({
      code: "OPS_DOCUMENT_NOT_JSON",
      source: from.source,
      message: expect.stringContaining("<html>gateway</html>"),
    });
  });
});
