import { clientErrorOf, type ClientError } from "./client-error";

const limits = { maxHeaderBytes: 16_384, clientHeadersMs: 2_000, clientRequestMs: 5_000 };
const error = (code: string, message = "x", reason?: string): ClientError =>
  Object.assign(new Error(message), { code, reason });

describe("client errors", () => {
  it("answers late headers with 408, naming the header timeout", () => {
    const answer = clientErrorOf(error("ERR_HTTP_REQUEST_TIMEOUT", "Request timeout"), limits, false);
    expect({ status: answer.status, code: answer.code, message: answer.message, details: answer.details }).toEqual({
      status: 408,
      code: "STRANGLER_REQUEST_TIMEOUT",
      message: "the request headers were not received within 2000 ms",
      details: { timeoutMs: 2000 },
    });
  });

  it("answers a late body with 408, naming the whole-request timeout", () => {
    expect(clientErrorOf(error("ERR_HTTP_REQUEST_TIMEOUT"), limits, true).message).toBe(
      "the whole request was not received within 5000 ms",
    );
  });

  it("answers headers over the limit with 431 and parser errors with 400", () => {
    expect(clientErrorOf(error("HPE_HEADER_OVERFLOW"), limits, false)).toMatchObject({
      status: 431,
      code: "STRANGLER_HEADERS_TOO_LARGE",
    });
    expect(
      clientErrorOf(error("HPE_INVALID_HEADER_TOKEN", "Parse Error", "Invalid header value char"), limits, false),
    ).toMatchObject({
      status: 400,
      code: "STRANGLER_BAD_REQUEST",
      message: "malformed HTTP request: Invalid header value char",
      details: { parserCode: "HPE_INVALID_HEADER_TOKEN" },
    });
  });
});
