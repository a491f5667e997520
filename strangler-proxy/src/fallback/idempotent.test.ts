import { isRetryable } from "./idempotent";

describe("which failed requests may be replayed on the monolith", () => {
  it.each(["GET", "HEAD", "OPTIONS"])("replays a %s without a body", (method) => {
    expect(isRetryable(method, false)).toBe(true);
  });

  it.each(["DELETE", "POST", "PUT", "PATCH"])(
    "never replays a %s without a body: it is a write the service may have applied",
    (method) => {
      expect(isRetryable(method, false)).toBe(false);
    },
  );

  it.each(["GET", "HEAD", "OPTIONS", "DELETE", "POST", "PUT", "PATCH"])(
    "never replays a %s with a body: the streamed body cannot be sent twice",
    (method) => {
      expect(isRetryable(method, true)).toBe(false);
    },
  );

  it.each(["TRACE", "CONNECT", "PROPFIND", "get", ""])(
    "never replays a method it does not know as a read (%p)",
    (method) => {
      expect(isRetryable(method, false)).toBe(false);
    },
  );
});
