import { parseMigrationConfig } from "./load-migration-config";
import { configProblems as problems } from "./testing/config-problems";

interface Parts {
  legacy?: string;
  unleash?: string;
  services?: string;
  /** Further top-level sections, YAML lines. */
  extra?: string[];
}

/** A valid config text, with any part replaced. */
const text = (parts: Parts = {}) =>
  [
    "version: 1",
    `legacy: ${parts.legacy ?? '{ url: "http://127.0.0.1:4101" }'}`,
    `unleash: ${parts.unleash ?? '{ url: "http://127.0.0.1:4242" }'}`,
    "services:",
    parts.services ?? '  - { name: users-service, url: "http://127.0.0.1:4102", routes: {} }',
    ...(parts.extra ?? []),
  ].join("\n");
const parse = (parts: Parts = {}) => parseMigrationConfig(text(parts), "strangler.config.yaml", {});
const rejected = (parts: Parts) => problems(text(parts));
const withRoute = (fields: string) => ({
  services: `  - name: users-service\n    url: "http://127.0.0.1:4102"\n    routes:\n      reads:\n        - { ${fields} }`,
});
const withProxy = (...lines: string[]) => ({ extra: ["proxy:", ...lines.map((line) => `  ${line}`)] });

describe("the migration config schema", () => {
  it("fills in every default of the proxy, unleash, legacy and routes sections", () => {
    const parsed = parse();
    expect(parsed.legacy).toStrictEqual({ name: "monolith", url: "http://127.0.0.1:4101", dryRun: false });
    expect(parsed.unleash).toStrictEqual({
      url: "http://127.0.0.1:4242",
      appName: "strangler-proxy",
      environment: "development",
      project: "default",
      refreshIntervalMs: 500,
    });
    expect(parsed.proxy.listen).toStrictEqual({ host: "127.0.0.1", port: 4100 });
    expect(parsed.proxy.admin).toStrictEqual({ host: "127.0.0.1", port: 4199 });
    expect(parsed.proxy.trustedProxies).toStrictEqual([]);
    expect(parsed.proxy.identity).toStrictEqual({
      userId: [{ header: "x-user-id" }, { authorization: { scheme: "Bearer", claim: ["sub"] } }],
      sessionId: [{ cookie: "sid" }, { header: "x-session-id" }],
    });
    expect(parsed.proxy.backendHeaders).toBe(true);
    expect(parsed.proxy.timeouts).toMatchObject({ connectMs: 1000, responseMs: 10_000 });
    expect(parsed.proxy.breaker).toStrictEqual({ failureThreshold: 5, openMs: 5000 });
    expect(parsed.proxy.maxUrlLength).toBe(8192);
    expect(parsed.proxy.maxHeaderBytes).toBe(16_384);
    expect(parsed.services[0]?.routes).toStrictEqual({ reads: [], writes: [] });
  });

  it("fills in the defaults inside a section given in part", () => {
    const parsed = parse({
      ...withProxy(
        "listen: { port: 5100 }",
        "admin: { port: 5199 }",
        "identity: { userId: [{ cookie: uid }] }",
        "timeouts: { connectMs: 200 }",
        "breaker: { openMs: 100 }",
      ),
    });
    expect(parsed.proxy.listen).toStrictEqual({ host: "127.0.0.1", port: 5100 });
    expect(parsed.proxy.admin).toStrictEqual({ host: "127.0.0.1", port: 5199 });
    expect(parsed.proxy.identity).toStrictEqual({
      userId: [{ cookie: "uid" }],
      sessionId: [{ cookie: "sid" }, { header: "x-session-id" }],
    });
    expect(parsed.proxy.timeouts).toMatchObject({ connectMs: 200, responseMs: 10_000 });
    expect(parsed.proxy.breaker).toStrictEqual({ failureThreshold: 5, openMs: 100 });
    const other = parse(
      withProxy("identity: { sessionId: [] }", "timeouts: { responseMs: 300 }", "breaker: { failureThreshold: 2 }"),
    );
    expect(other.proxy.identity).toStrictEqual({
      userId: [{ header: "x-user-id" }, { authorization: { scheme: "Bearer", claim: ["sub"] } }],
      sessionId: [],
    });
    expect(other.proxy.timeouts).toMatchObject({ connectMs: 1000, responseMs: 300 });
    expect(other.proxy.breaker).toStrictEqual({ failureThreshold: 2, openMs: 5000 });
    expect(parse({ extra: ["cdc: { kafka: { brokers: 'k:1' } }"] }).cdc.kafka).toStrictEqual({
      brokers: ["k:1"],
      connectUrl: "http://127.0.0.1:48083",
      topicPrefix: "strangler",
      groupId: "strangler-cdc",
    });
    expect(parse({ extra: ["cdc: { transport: debezium, kafka: { groupId: g } }"] }).cdc).toStrictEqual({
      listen: { host: "127.0.0.1", port: 4300 },
      transport: "debezium",
      kafka: {
        brokers: ["127.0.0.1:49092"],
        connectUrl: "http://127.0.0.1:48083",
        topicPrefix: "strangler",
        groupId: "g",
      },
    });
    expect(
      parse({ services: '  - { name: users-service, url: "http://127.0.0.1:4102", routes: { writes: [] } }' })
        .services[0]?.routes,
    ).toStrictEqual({ reads: [], writes: [] });
  });

  it("takes every setting that is given", () => {
    const parsed = parse({
      legacy: "{ name: mainframe, url: 'https://legacy.example', database: 'postgres://db/legacy', dryRun: true }",
      unleash:
        "{ url: 'https://flags.example', appName: app, environment: production, project: shop, refreshIntervalMs: 100 }",
      extra: [
        ...withProxy(
          "listen: { host: 0.0.0.0, port: 0 }",
          "admin: { host: ::1, port: 65535 }",
          "trustedProxies: [10.0.0.1, '::1']",
          "identity: { userId: [{ header: X-User }, { jwtClaim: uid }], sessionId: [{ cookie: s }] }",
          "backendHeaders: false",
          "maxUrlLength: 300",
          "maxHeaderBytes: 2048",
        ).extra,
        "cdc: { listen: { host: 0.0.0.0, port: 5300 }, transport: debezium, kafka: { brokers: ' a:1, ,b:2 ', connectUrl: 'https://connect:8083', topicPrefix: my.prefix_1-X, groupId: g } }",
      ],
    });
    expect(parsed.legacy).toStrictEqual({
      name: "mainframe",
      url: "https://legacy.example",
      database: "postgres://db/legacy",
      dryRun: true,
    });
    expect(parsed.unleash).toStrictEqual({
      url: "https://flags.example",
      appName: "app",
      environment: "production",
      project: "shop",
      refreshIntervalMs: 100,
    });
    expect(parsed.proxy).toMatchObject({
      listen: { host: "0.0.0.0", port: 0 },
      admin: { host: "::1", port: 65535 },
      trustedProxies: ["10.0.0.1", "::1"],
      identity: {
        userId: [{ header: "x-user" }, { authorization: { scheme: "Bearer", claim: ["uid"] } }],
        sessionId: [{ cookie: "s" }],
      },
      backendHeaders: false,
      maxUrlLength: 300,
      maxHeaderBytes: 2048,
    });
    expect(parsed.cdc).toStrictEqual({
      listen: { host: "0.0.0.0", port: 5300 },
      transport: "debezium",
      kafka: {
        brokers: ["a:1", "b:2"],
        connectUrl: "https://connect:8083",
        topicPrefix: "my.prefix_1-X",
        groupId: "g",
      },
    });
  });

  it("accepts the lowest URL and header limits", () => {
    expect(parse(withProxy("maxUrlLength: 256", "maxHeaderBytes: 1024")).proxy).toMatchObject({
      maxUrlLength: 256,
      maxHeaderBytes: 1024,
    });
  });

  it("rejects a version other than 1", () => {
    expect(problems(text().replace("version: 1", "version: 2"))).toContain("version (line 1): must be 1");
  });

  it.each([
    [
      "a route id with a capital",
      "id: Users-list, methods: [GET], path: /x",
      "routes.reads[0].id (line 9): must be lower-case letters, digits and dashes (at most 63), e.g. users-list",
    ],
    [
      "a route id starting with a dash",
      "id: -users, methods: [GET], path: /x",
      "routes.reads[0].id (line 9): must be lower-case letters",
    ],
    [
      "a route id with an underscore",
      "id: users_list, methods: [GET], path: /x",
      "routes.reads[0].id (line 9): must be lower-case letters",
    ],
    [
      "a route id of 64 characters",
      `id: ${"a".repeat(64)}, methods: [GET], path: /x`,
      "routes.reads[0].id (line 9): must be lower-case letters",
    ],
    [
      "an unknown method",
      "id: x, methods: [TRACE], path: /x",
      "routes.reads[0].methods[0] (line 9): must be one of GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE",
    ],
    [
      "a lower-case method",
      "id: x, methods: [get], path: /x",
      "routes.reads[0].methods[0] (line 9): must be one of GET",
    ],
    ["no method", "id: x, methods: [], path: /x", "routes.reads[0].methods (line 9): must name at least one method"],
    [
      "a path that is not text",
      "id: x, methods: [GET], path: 5",
      "routes.reads[0].path (line 9): must be a path pattern such as /api/users/:id",
    ],
    [
      "a path without a slash",
      "id: x, methods: [GET], path: api",
      "routes.reads[0].path (line 9): path pattern must start with /",
    ],
  ])("rejects %s", (_what, fields, message) => {
    expect(rejected(withRoute(fields))).toContain(`services[0].${message}`);
  });

  it.each([
    ["a route id of 63 characters", `id: ${"a".repeat(63)}, methods: [GET], path: /x`],
    ["a one-character route id starting with a digit", "id: '1', methods: [GET], path: /x"],
    ["every method", "id: x, methods: [GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE], path: /x"],
  ])("accepts %s", (_what, fields) => {
    expect(parse(withRoute(fields)).services[0]?.routes.reads).toHaveLength(1);
  });

  it.each([
    [
      "a service name with a capital",
      '  - { name: Users, url: "http://127.0.0.1:4102", routes: {} }',
      "services[0].name (line 5): must be lower-case letters, digits and dashes, e.g. users-service",
    ],
    [
      "a service URL that is not http",
      '  - { name: users, url: "ftp://127.0.0.1", routes: {} }',
      "services[0].url (line 5): must be an http:// or https:// URL",
    ],
    ["a service without routes", '  - { name: users, url: "http://127.0.0.1" }', "services[0].routes (line 5): "],
    ["no service", "  []", "services (line 5): must list at least one service"],
  ])("rejects %s", (_what, services, message) => {
    expect(rejected({ services })).toContain(message);
  });

  it.each([
    [
      "a legacy URL that is not http",
      { legacy: "{ url: 'postgres://x' }" },
      "legacy.url (line 2): must be an http:// or https:// URL",
    ],
    [
      "a legacy URL whose scheme ends in http",
      { legacy: "{ url: 'xhttp://x' }" },
      "legacy.url (line 2): must be an http:// or https:// URL",
    ],
    [
      "a legacy URL whose scheme starts with http",
      { legacy: "{ url: 'httpx://x' }" },
      "legacy.url (line 2): must be an http:// or https:// URL",
    ],
    [
      "a legacy database that is not PostgreSQL",
      { legacy: "{ url: 'http://x', database: 'mysql://db' }" },
      "legacy.database (line 2): must be a postgresql:// URL",
    ],
    ["an empty legacy name", { legacy: "{ url: 'http://x', name: '' }" }, "legacy.name (line 2): "],
    [
      "an Unleash URL that is not http",
      { unleash: "{ url: 'file:///x' }" },
      "unleash.url (line 3): must be an http:// or https:// URL",
    ],
    [
      "a refresh interval under 100 ms",
      { unleash: "{ url: 'http://x', refreshIntervalMs: 99 }" },
      "unleash.refreshIntervalMs (line 3): ",
    ],
    ["an empty app name", { unleash: "{ url: 'http://x', appName: '' }" }, "unleash.appName (line 3): "],
    ["an empty environment", { unleash: "{ url: 'http://x', environment: '' }" }, "unleash.environment (line 3): "],
    ["an empty project", { unleash: "{ url: 'http://x', project: '' }" }, "unleash.project (line 3): "],
    [
      "an unknown unleash field",
      { unleash: "{ url: 'http://x', token: t }" },
      "unleash (line 3): unknown field: token",
    ],
    ["a port above 65535", withProxy("listen: { port: 65536 }"), "proxy.listen.port (line 7): "],
    ["a negative port", withProxy("listen: { port: -1 }"), "proxy.listen.port (line 7): "],
    ["a fractional port", withProxy("admin: { port: 1.5 }"), "proxy.admin.port (line 7): "],
    ["a port given as text", withProxy("admin: { port: '80' }"), "proxy.admin.port (line 7): must be a port number"],
    ["an empty listen host", withProxy("listen: { host: '', port: 1 }"), "proxy.listen.host (line 7): "],
    [
      "a trusted proxy that is not an IP address",
      withProxy("trustedProxies: [proxy.local]"),
      "proxy.trustedProxies[0] (line 7): must be an IP address",
    ],
    [
      "an identity source of two kinds",
      withProxy("identity: { userId: [{ header: a, cookie: b }] }"),
      "proxy.identity.userId[0] (line 7): ",
    ],
    ["an empty identity header", withProxy("identity: { userId: [{ header: '' }] }"), "proxy.identity.userId[0]"],
    ["an empty identity cookie", withProxy("identity: { sessionId: [{ cookie: '' }] }"), "proxy.identity.sessionId[0]"],
    ["an empty JWT claim", withProxy("identity: { sessionId: [{ jwtClaim: '' }] }"), "proxy.identity.sessionId[0]"],
    ["a zero connect timeout", withProxy("timeouts: { connectMs: 0 }"), "proxy.timeouts.connectMs (line 7): "],
    [
      "a fractional response timeout",
      withProxy("timeouts: { responseMs: 1.5 }"),
      "proxy.timeouts.responseMs (line 7): ",
    ],
    [
      "a zero failure threshold",
      withProxy("breaker: { failureThreshold: 0 }"),
      "proxy.breaker.failureThreshold (line 7): ",
    ],
    ["a zero open time", withProxy("breaker: { openMs: 0 }"), "proxy.breaker.openMs (line 7): "],
    ["a URL limit under 256", withProxy("maxUrlLength: 255"), "proxy.maxUrlLength (line 7): "],
    ["a header limit under 1024", withProxy("maxHeaderBytes: 1023"), "proxy.maxHeaderBytes (line 7): "],
    ["backendHeaders that is not a boolean", withProxy("backendHeaders: yes"), "proxy.backendHeaders (line 7): "],
    [
      "brokers that are not text",
      { extra: ["cdc: { kafka: { brokers: 5 } }"] },
      "cdc.kafka.brokers (line 6): must be a comma-separated list of host:port",
    ],
    [
      "an empty broker list",
      { extra: ["cdc: { kafka: { brokers: ' , ' } }"] },
      "cdc.kafka.brokers (line 6): must name at least one broker (host:port)",
    ],
    [
      "a broker with a path",
      { extra: ["cdc: { kafka: { brokers: 'k/x:1' } }"] },
      "cdc.kafka.brokers[0] (line 6): each broker must be host:port, e.g. 127.0.0.1:49092",
    ],
    ["a broker with a space", { extra: ["cdc: { kafka: { brokers: 'k x:1' } }"] }, "each broker must be host:port"],
    [
      "a broker port of six digits",
      { extra: ["cdc: { kafka: { brokers: 'k:123456' } }"] },
      "each broker must be host:port",
    ],
    [
      "a broker with text after the port",
      { extra: ["cdc: { kafka: { brokers: 'k:1x' } }"] },
      "each broker must be host:port",
    ],
    [
      "a broker with text before the host",
      { extra: ["cdc: { kafka: { brokers: ':k:1' } }"] },
      "each broker must be host:port",
    ],
    [
      "a Connect URL that is not http",
      { extra: ["cdc: { kafka: { connectUrl: 'tcp://c:1' } }"] },
      "cdc.kafka.connectUrl (line 6): must be an http:// or https:// URL",
    ],
    [
      "a topic prefix with a slash",
      { extra: ["cdc: { kafka: { topicPrefix: 'a/b' } }"] },
      "cdc.kafka.topicPrefix (line 6): must use letters, digits, '.', '_' or '-'",
    ],
    [
      "an empty topic prefix",
      { extra: ["cdc: { kafka: { topicPrefix: '' } }"] },
      "cdc.kafka.topicPrefix (line 6): must use letters",
    ],
    ["an empty group id", { extra: ["cdc: { kafka: { groupId: '' } }"] }, "cdc.kafka.groupId (line 6): "],
    ["an unknown cdc field", { extra: ["cdc: { mode: x }"] }, "cdc (line 6): unknown field: mode"],
    [
      "a CDC listen port that is not a number",
      { extra: ["cdc: { listen: { port: http } }"] },
      "cdc.listen.port (line 6): must be a port number",
    ],
    [
      "an unknown proxy field",
      withProxy("listen: { port: 1 }", "colour: red"),
      "proxy (line 7): unknown field: colour",
    ],
  ])("rejects %s", (_what, parts, message) => {
    expect(rejected(parts)).toContain(message);
  });
});
