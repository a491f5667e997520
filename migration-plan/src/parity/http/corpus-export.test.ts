import type { DiffExample } from "@strangler/ops-contract";
import { parse as parseYaml } from "yaml";
import { corpusCaseOfExample, corpusFileNameOf, formatCorpusCaseYaml, isSecretHeader } from "./corpus-export";
import { parseCorpusCase } from "./load-http-corpus";

const example: DiffExample = {
  id: "ex/1:α",
  at: "2026-12-02T10:00:00.000Z",
  routeId: "accounts-update",
  service: "accounts",
  primary: "legacy",
  method: "PATCH",
  path: "/accounts/7?access_token=abc&view=full&API_KEY=k",
  requestHeaders: {
    authorization: "Bearer secret-token",
    "Proxy-Authorization": "Basic abc",
    cookie: "sid=123",
    "set-cookie": "sid=123",
    "x-api-key": "k-1",
    "x-auth-token": "t",
    "x-client-secret": "s",
    "x-session-id": "s-1",
    "x-password-hint": "p",
    host: "127.0.0.1:4100",
    "content-length": "42",
    "x-request-id": "req-1",
    traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "x-forwarded-for": "10.0.0.1",
    "x-strangler-shadow": "1",
    accept: "application/json",
    "content-type": "application/json",
  },
  requestBody: JSON.stringify({ name: "Ada", password: "hunter2", nested: [{ apiToken: "t", note: "kept" }] }),
  requestId: "req-1",
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  signature: "value /name",
  answers: {
    legacy: { status: 200, headers: { "set-cookie": "sid=9" }, body: "{}", latencyMs: 1 },
    service: { status: 200, headers: {}, body: "{}", latencyMs: 1 },
  },
  differences: [{ path: "/name", kind: "value", legacy: '"Ada"', service: '"ADA"' }],
};

describe("corpus export of shadow examples", () => {
  it("drops credentials and every header whose name suggests a secret, and connection and tracing headers", () => {
    const c = corpusCaseOfExample(example);
    expect(c.headers).toEqual({ accept: "application/json", "content-type": "application/json" });
  });

  it("drops query parameters that look like secrets and redacts such JSON body members", () => {
    const c = corpusCaseOfExample(example);
    expect(c.path).toBe("/accounts/7?view=full");
    expect(c.body).toEqual({ name: "Ada", password: "REDACTED", nested: [{ apiToken: "REDACTED", note: "kept" }] });
    expect(c.method).toBe("PATCH");
  });

  it("writes a YAML file that loads as a corpus case and never holds a credential or a Set-Cookie", () => {
    const text = formatCorpusCaseYaml(example);
    for (const secret of ["secret-token", "Basic abc", "sid=", "k-1", "hunter2", "abc&", "set-cookie", "Set-Cookie"])
      expect(text).not.toContain(secret);
    expect(text).toMatch(/^# Exported by 'strangler diff export' from shadow example ex\/1:α/);
    expect(parseYaml(text)).toMatchObject({ method: "PATCH", path: "/accounts/7?view=full" });
    expect(parseCorpusCase(text, "x.yaml")).toMatchObject({
      method: "PATCH",
      body: expect.objectContaining({ name: "Ada" }),
    });
  });

  it("keeps a body that is not JSON as text", () => {
    const c = corpusCaseOfExample({
      ...example,
      requestHeaders: { "content-type": "text/plain" },
      requestBody: "hello",
    });
    expect(c.body).toBe("hello");
    expect(corpusCaseOfExample({ ...example, requestBody: null }).body).toBeUndefined();
  });

  it("names files after the route and example id, safely", () => {
    expect(corpusFileNameOf(example)).toBe("accounts-update-ex-1.yaml");
    expect(corpusFileNameOf({ ...example, id: "../../etc/passwd" })).toBe("accounts-update-etc-passwd.yaml");
  });

  it("recognises secret header names in any case", () => {
    for (const name of ["Authorization", "COOKIE", "X-Api-Key", "x-refresh-token", "x-signing-key"])
      expect(isSecretHeader(name)).toBe(true);
    for (const name of ["accept", "content-type", "x-user-agent-version"]) expect(isSecretHeader(name)).toBe(false);
  });
});
