import { exampleHeaders, secretHeaderNames } from "./example-headers";

describe("exampleHeaders", () => {
  const secret = secretHeaderNames({
    userId: [{ header: "X-User-Id" }, { cookie: "uid" }],
    sessionId: [{ header: "x-session-id" }],
  });

  it("removes credentials and the identity headers, keeps the rest", () => {
    expect(
      exampleHeaders(
        {
          authorization: "Bearer t",
          "proxy-authorization": "Basic x",
          cookie: "uid=1; sid=2",
          "x-api-key": "k",
          "x-user-id": "42",
          "x-session-id": "s",
          accept: "application/json",
          "x-forwarded-for": "1.1.1.1",
        },
        secret,
      ),
    ).toEqual({ accept: "application/json", "x-forwarded-for": "1.1.1.1" });
  });

  it("joins repeated values", () => {
    expect(exampleHeaders({ "x-tag": ["a", "b"] }, secret)).toEqual({ "x-tag": "a, b" });
  });
});
