import { HttpError } from "./http-error";
import { toHttpError } from "./error-handler";

describe("toHttpError", () => {
  it("keeps an HttpError as it is", () => {
    const error = new HttpError(409, "X", "clash");
    expect(toHttpError(error)).toBe(error);
  });

  it("maps body-parser errors to 400, 413 and 415", () => {
    expect(toHttpError({ type: "entity.parse.failed", message: "Unexpected token" })).toMatchObject({
      status: 400,
      code: "MALFORMED_JSON",
    });
    expect(toHttpError({ type: "entity.too.large", message: "too large", limit: 10, length: 20 })).toMatchObject({
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
      details: { location: "body", limit: 10, length: 20 },
    });
    expect(toHttpError({ type: "charset.unsupported", message: "bad charset" })).toMatchObject({ status: 415 });
  });

  it("hides the details of anything else behind a retriable 500", () => {
    const mapped = toHttpError(new Error("connection refused to 10.0.0.1"));
    expect(mapped).toMatchObject({ status: 500, code: "INTERNAL", message: "internal error", retriable: true });
  });
});
