import path from "node:path";
import { parseMigrationConfig } from "./load-migration-config";
import { configProblems } from "./testing/config-problems";

const FILE = "/srv/shop/strangler/strangler.config.yaml";

/** A valid config text with the given `run` blocks (YAML flow maps) on the legacy app and the service. */
const text = (legacyRun?: string, serviceRun?: string) =>
  [
    "version: 1",
    `legacy: { url: "http://127.0.0.1:4101"${legacyRun ? `, run: ${legacyRun}` : ""} }`,
    'unleash: { url: "http://127.0.0.1:4242" }',
    "services:",
    `  - { name: users-service, url: "http://127.0.0.1:4102", routes: {}${serviceRun ? `, run: ${serviceRun}` : ""} }`,
  ].join("\n");
/** "path: message" as the loader prints it, with the line number between them. */
const problem = (expected: string) => {
  const [where, ...message] = expected.split(": ");
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`${escape(where ?? "")} \\(line \\d+\\): ${escape(message.join(": "))}`);
};
const parse = (legacyRun?: string, serviceRun?: string) => parseMigrationConfig(text(legacyRun, serviceRun), FILE, {});

describe("run: an app the stack starts (managed)", () => {
  it("leaves an app without run external", () => {
    const config = parse();
    expect(config.legacy.run).toBeUndefined();
    expect(config.services[0]?.run).toBeUndefined();
  });

  it("fills in cwd, env and health, and resolves cwd against the config file's folder", () => {
    const config = parse(
      "{ command: [node, main.js] }",
      "{ command: [npx, tsx, src/main.ts], cwd: ../users, migrate: [npx, prisma, migrate, deploy], env: { LOG_LEVEL: debug, WORKERS: 2, TRACE: true }, health: /ready }",
    );
    expect(config.legacy.run).toStrictEqual({
      command: ["node", "main.js"],
      cwd: "/srv/shop/strangler",
      env: {},
      health: "/healthz",
    });
    expect(config.services[0]?.run).toStrictEqual({
      command: ["npx", "tsx", "src/main.ts"],
      cwd: "/srv/shop/users",
      migrate: ["npx", "prisma", "migrate", "deploy"],
      env: { LOG_LEVEL: "debug", WORKERS: "2", TRACE: "true" },
      health: "/ready",
    });
  });

  it("keeps an absolute cwd and resolves a relative config path against the working directory", () => {
    expect(parse("{ command: [x], cwd: /opt/legacy }").legacy.run?.cwd).toBe("/opt/legacy");
    const relative = parseMigrationConfig(text("{ command: [x], cwd: app }"), "conf/strangler.config.yaml", {});
    expect(relative.legacy.run?.cwd).toBe(path.resolve("conf", "app"));
  });

  it.each([
    ["{ cwd: . }", "legacy.run.command"],
    ["{ command: [] }", "legacy.run.command: must name a program"],
    ["{ command: 'npm start' }", "legacy.run.command: must be a command as a list of arguments (no shell)"],
    ["{ command: [npm, ''] }", "legacy.run.command[1]: an argument must not be empty"],
    ["{ command: [x], migrate: [] }", "legacy.run.migrate: must name a program"],
    ["{ command: [x], health: healthz }", "legacy.run.health: must be a path starting with /"],
    ["{ command: [x], env: { PORT: 1 } }", "legacy.run.env.PORT: is set by the stack"],
    ["{ command: [x], env: { DATABASE_URL: x } }", "legacy.run.env.DATABASE_URL: is set by the stack"],
    ["{ command: [x], env: { A: [1] } }", "legacy.run.env.A: must be a string, a number or true/false"],
    ["{ command: [x], shell: true }", "legacy.run: unknown field: shell"],
  ])("rejects run %s naming the path", (run, message) => {
    expect(configProblems(text(run))).toMatch(problem(message));
  });

  it("names the service's path in its errors", () => {
    expect(configProblems(text(undefined, "{ command: [x], health: 5 }"))).toMatch(
      problem("services[0].run.health: must be a path such as /healthz"),
    );
  });
});
