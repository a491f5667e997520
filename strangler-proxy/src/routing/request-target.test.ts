import { parseRequestTarget } from "./request-target";

const MAX = 8192;
const parse = (target: string, method = "GET") => parseRequestTarget(target, method, MAX);

describe("parseRequestTarget", () => {
  it.each([
    ["/", "/", ""],
    ["/api/users", "/api/users", ""],
    ["/api/users/", "/api/users", ""],
    ["/api/users?limit=5&email=%2Fx", "/api/users", "?limit=5&email=%2Fx"],
    ["/api/users/?x=1", "/api/users", "?x=1"],
    ["/api/%75sers/%41%7e", "/api/users/A~", ""],
    ["/api/users/caf%c3%a9", "/api/users/caf%C3%A9", ""],
    ["/api/users/a%2eb", "/api/users/a.b", ""],
    ["/api/users/...", "/api/users/...", ""],
    ["/api/users/%2e%2e%2e", "/api/users/...", ""],
    ["/api/users/a%20b", "/api/users/a%20b", ""],
    ["/api/users/%252e%252e", "/api/users/%252e%252e", ""],
    ["/api/users/a:b@c!$&'()*+,;=", "/api/users/a:b@c!$&'()*+,;=", ""],
    ["/api/users/a|b^[1]", "/api/users/a|b^[1]", ""],
    ["/API/Users", "/API/Users", ""],
  ])("accepts %s as %s (query %s)", (target, path, query) => {
    expect(parse(target)).toEqual({ ok: true, path, query, segments: path === "/" ? [] : path.slice(1).split("/") });
  });

  it.each([
    ["/api/users/..%2f..%2fadmin", /encoded slash/],
    ["/api/users%2F1", /encoded slash/],
    ["/api/users%2f1", /encoded slash/],
    ["/api/users%5c1", /encoded backslash/],
    ["/api/users%5C1", /encoded backslash/],
    ["/api\\users", /backslash/],
    ["/api//users", /empty path segment/],
    ["//api/users", /empty path segment/],
    ["/api/users//", /empty path segment/],
    ["/api/./users", /dot segment "\."/],
    ["/api/../users", /dot segment "\.\."/],
    ["/api/users/.", /dot segment/],
    ["/api/users/..", /dot segment/],
    ["/api/%2e/users", /dot segment/],
    ["/api/%2E%2e/users", /dot segment/],
    ["/api/.%2e/users", /dot segment/],
    ["/api/users/%2e%2e", /dot segment/],
    ["/x%00", /encoded control character \(%00\)/],
    ["/x%0a", /encoded control character/],
    ["/x%0D", /encoded control character/],
    ["/x%1f", /encoded control character/],
    ["/x%7F", /encoded control character/],
    ["/x\u0000", /control character/],
    ["/x\u007f", /control character/],
    ["/x%", /malformed percent-encoding/],
    ["/x%4", /malformed percent-encoding/],
    ["/x%zz", /malformed percent-encoding/],
    ["/x%%41", /malformed percent-encoding/],
    ["/x#frag", /"#" must be percent-encoded/],
    ["/x<script>", /"<" must be percent-encoded/],
    ["/x\u00e9", /"é" must be percent-encoded/],
    ["http://evil.example/api/users", /absolute-form/],
    ["api/users", /must start with \//],
    ["*", /only allowed for OPTIONS/],
  ])("rejects %s", (target, reason) => {
    const result = parse(target);
    expect(result).toMatchObject({ ok: false, code: "STRANGLER_BAD_PATH" });
    expect(result.ok ? "" : result.reason).toMatch(reason);
  });

  it("accepts the asterisk-form for OPTIONS, matching no route", () => {
    expect(parse("*", "OPTIONS")).toEqual({ ok: true, path: "*", query: "", segments: null });
  });

  it("answers URL_TOO_LONG above the limit and accepts exactly the limit", () => {
    expect(parseRequestTarget(`/${"a".repeat(99)}`, "GET", 100)).toMatchObject({ ok: true });
    expect(parseRequestTarget(`/${"a".repeat(100)}`, "GET", 100)).toMatchObject({
      ok: false,
      code: "STRANGLER_URL_TOO_LONG",
    });
  });

  it("keeps the query string untouched, encoded slashes and dots included", () => {
    expect(parse("/api/users?next=%2F..%2Fadmin&x=%00")).toMatchObject({
      ok: true,
      path: "/api/users",
      query: "?next=%2F..%2Fadmin&x=%00",
    });
  });

  it.each([
    ["/%4A%4a%4F%4f", "/JJOO"],
    ["/%30%39", "/09"],
    ["/x%3a%2A", "/x%3A%2A"],
  ])("decodes hex digits 0-9, A-F and a-f: %s is %s", (target, path) => {
    expect(parse(target)).toMatchObject({ ok: true, path });
  });

  it.each(["/x%4G", "/x%4g", "/x%4W", "/x%4_", "/x%4`", "/x%4@", "/x%4:", "/x%4/", "/x%/4"])(
    "rejects %s as malformed percent-encoding",
    (target) => {
      expect(parse(target)).toMatchObject({
        ok: false,
        code: "STRANGLER_BAD_PATH",
        reason: expect.stringMatching(/^malformed percent-encoding at /),
      });
    },
  );

  it.each([
    ["/x%zz", 'malformed percent-encoding at "%zz"'],
    ["/api/x%4", 'malformed percent-encoding at "%4"'],
    ["/a b", 'character " " must be percent-encoded in a path'],
    ["/a\u0001", "control character 0x01 must be percent-encoded in a path"],
    ["/a\u001f", "control character 0x1f must be percent-encoded in a path"],
    ["/x%2Fy", "encoded slash (%2F) is not allowed in a path"],
    ["/x%5cy", "encoded backslash (%5C) is not allowed in a path"],
    ["/x%0a", "encoded control character (%0A) is not allowed in a path"],
    ["/x/%2E", 'dot segment "." (plain or percent-encoded) is not allowed'],
    ["1http://evil.example/x", "the path must start with /"],
    ["https://evil.example/x", "absolute-form targets (scheme://host/...) are not accepted by this reverse proxy"],
  ])("says why it rejects %p", (target, reason) => {
    expect(parse(target)).toStrictEqual({ ok: false, code: "STRANGLER_BAD_PATH", reason });
  });

  it("says what the URL length limit is", () => {
    expect(parseRequestTarget(`/${"a".repeat(100)}`, "GET", 100)).toStrictEqual({
      ok: false,
      code: "STRANGLER_URL_TOO_LONG",
      reason: "the URL is longer than 100 characters",
    });
  });
});
