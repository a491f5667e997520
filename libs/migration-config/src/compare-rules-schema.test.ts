import { compareRulesSchema } from "./compare-rules-schema";
import { parseMigrationConfig } from "./load-migration-config";
import { configProblems as problems } from "./testing/config-problems";

/** A config whose one service and one read route carry the given compare rules (YAML flow style). */
const withRules = (service: string, route = "{}") =>
  [
    "version: 1",
    'legacy: { url: "http://127.0.0.1:4101" }',
    'unleash: { url: "http://127.0.0.1:4242" }',
    "services:",
    "  - name: blog-service",
    '    url: "http://127.0.0.1:4102"',
    `    compare: ${service}`,
    "    routes:",
    "      reads:",
    `        - { id: posts-one, methods: [GET], path: /api/posts/:id, compare: ${route} }`,
  ].join("\n");

describe("compare rules in the migration config", () => {
  it("parses every rule with its defaults, on a service and on a route", () => {
    const config = parseMigrationConfig(
      withRules(
        "{ headers: [Content-Type, etag], ignore: [/meta/**, /items/*/updatedAt], normalise: [{ caseInsensitive: true, path: /email }, { tolerance: 0.01 }, { timestampPrecision: s, path: /**/at }, { nullIsMissing: true }], arrays: [{ path: /items, by: id }], map: { /name: /displayName, /items/*/title: /items/*/label }, noise: { relative: 10 } }",
        "{ ignore: [/id~1x] }",
      ),
      "strangler.config.yaml",
      {},
    );
    const service = config.services[0];
    expect(service?.compare).toStrictEqual({
      headers: ["Content-Type", "etag"],
      ignore: ["/meta/**", "/items/*/updatedAt"],
      normalise: [
        { path: "/email", caseInsensitive: true },
        { path: "/**", tolerance: 0.01 },
        { path: "/**/at", timestampPrecision: "s" },
        { path: "/**", nullIsMissing: true },
      ],
      arrays: [{ path: "/items", by: "id" }],
      map: { "/name": "/displayName", "/items/*/title": "/items/*/label" },
      noise: { relative: 10 },
    });
    expect(service?.routes.reads[0]?.compare).toStrictEqual({ ignore: ["/id~1x"], normalise: [], arrays: [], map: {} });
  });

  it.each([
    [
      "an arrays rule keyed by an empty name",
      "{ arrays: [{ path: /items, by: '' }] }",
      "services[0].compare.arrays[0].by: must name the member that identifies an element, e.g. id",
    ],
    [
      "an arrays rule without a key",
      "{ arrays: [{ path: /items }] }",
      "services[0].compare.arrays[0].by: must name the member that identifies an element, e.g. id",
    ],
    [
      "two fields mapped to one place",
      "{ map: { /name: /displayName, /nick: /displayName } }",
      "services[0].compare.map./nick: moves to /displayName, which collides with /name → /displayName (each field needs its own place)",
    ],
    [
      "a field mapped inside another mapped field",
      "{ map: { /name: /profile, /nick: /profile/nick } }",
      "services[0].compare.map./nick: moves to /profile/nick, which collides with /name → /profile",
    ],
    [
      "a map with ** in it",
      "{ map: { /**/name: /**/displayName } }",
      "services[0].compare.map./**/name: cannot map ** (use * for one segment)",
    ],
    [
      "a map whose wildcards do not pair up",
      "{ map: { /items/*/name: /name } }",
      "services[0].compare.map./items/*/name: must have as many * on both sides (1 in /items/*/name, 0 in /name)",
    ],
    [
      "a map of the whole body",
      "{ map: { '': /data } }",
      "services[0].compare.map.: must move a field, not the whole body (both pointers start with /)",
    ],
    ["an ignore that is not a pointer", "{ ignore: [email] }", "services[0].compare.ignore[0]: must be a JSON pointer"],
    [
      "a pointer with a bad ~ escape",
      "{ ignore: [/a~2b] }",
      "services[0].compare.ignore[0]: must escape ~ as ~0 and / as ~1",
    ],
    [
      "a normaliser with two ways",
      "{ normalise: [{ caseInsensitive: true, tolerance: 1 }] }",
      "services[0].compare.normalise[0]: must set exactly one of caseInsensitive, tolerance, timestampPrecision, nullIsMissing (has caseInsensitive, tolerance)",
    ],
    [
      "a normaliser with none",
      "{ normalise: [{ path: /a }] }",
      "services[0].compare.normalise[0]: must set exactly one of caseInsensitive, tolerance, timestampPrecision, nullIsMissing (has none)",
    ],
    ["a negative tolerance", "{ normalise: [{ tolerance: -1 }] }", "services[0].compare.normalise[0].tolerance"],
    [
      "an unknown precision",
      "{ normalise: [{ timestampPrecision: h }] }",
      "services[0].compare.normalise[0].timestampPrecision",
    ],
    ["an absolute noise threshold above 100", "{ noise: { absolute: 101 } }", "services[0].compare.noise.absolute"],
    [
      "a header name with a space",
      "{ headers: ['content type'] }",
      "services[0].compare.headers[0]: must be a header name",
    ],
    ["an unknown rule", "{ ignored: [/a] }", "services[0].compare"],
  ])("rejects %s, naming the place in the file", (_case, rules, expected) => {
    const text = problems(withRules(rules));
    expect(text).toContain("strangler.config.yaml: invalid migration config:");
    // "path: message" as written above; the error puts the line number between them.
    const [place, message] = expected.includes(": ") ? expected.split(/: (.*)/s) : [expected, ""];
    expect(text).toContain(`${place} (line 7)`);
    expect(text).toContain(message);
  });

  it("names the route when the route's rules are wrong", () => {
    expect(problems(withRules("{}", "{ arrays: [{ path: /x, by: '' }] }"))).toContain(
      "services[0].routes.reads[0].compare.arrays[0].by (line 10): must name the member",
    );
  });

  it("accepts distinct targets that share a prefix of characters but not of segments", () => {
    expect(compareRulesSchema.parse({ map: { "/a": "/name", "/b": "/nameFull" } }).map).toStrictEqual({
      "/a": "/name",
      "/b": "/nameFull",
    });
  });
});
