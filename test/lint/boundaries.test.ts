import { spawnSync } from "node:child_process";
import path from "node:path";

// The architecture's boundaries are enforced by ESLint (eslint.config.mjs); these cases prove the
// rules catch a violation, so a config change cannot silently switch them off.
const root = path.resolve(__dirname, "..", "..");
const eslintBin = path.join(root, "node_modules", "eslint", "bin", "eslint.js");

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/** Lints source as if it were the given file (ESLint's ESM config cannot load inside jest's VM). */
async function restrictedImports(file: string, source: string): Promise<string[]> {
  const run = spawnSync(process.execPath, [eslintBin, "--format", "json", "--stdin", "--stdin-filename", file], {
    cwd: root,
    input: source,
    encoding: "utf8",
    env: { ...process.env, STRANGLER_LINT_UNTYPED: "1" },
  });
  const [result] = JSON.parse(run.stdout || "[]") as Array<{ messages: LintMessage[] }>;
  if (!result) throw new Error(`eslint gave no result: ${run.stderr}`);
  return result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("architecture boundaries", () => {
  it.each([
    [
      "a service importing the monolith",
      "extracted/users-service/src/x.ts",
      'import "../../../legacy-monolith/src/app";',
    ],
    [
      "a service importing the monolith by package",
      "extracted/users-service/src/x.ts",
      'import "@strangler/legacy-monolith";',
    ],
    [
      "a service importing another service",
      "extracted/users-service/src/x.ts",
      'import "../../orders-service/src/app";',
    ],
    ["the monolith importing a service", "legacy-monolith/src/x.ts", 'import "../../extracted/users-service/src/app";'],
    ["the monolith importing a service by package", "legacy-monolith/src/x.ts", 'import "@strangler/users-service";'],
    ["a library importing the monolith", "libs/service-kit/src/x.ts", 'import "../../../legacy-monolith/src/app";'],
    ["an app importing the stack", "legacy-monolith/src/x.ts", 'import "../../stack/src/index";'],
    ["a library importing the stack", "libs/unleash-admin/src/x.ts", 'import "@strangler/stack";'],
    [
      "the CLI importing the stack",
      "migration-plan/src/cli/x.ts",
      'import { formatTextTable } from "@strangler/stack";',
    ],
    [
      "the CLI importing the stack by path",
      "migration-plan/src/cli/flags/x.ts",
      'import "../../../../stack/src/secrets/stack-secrets";',
    ],
    ["the CLI importing an example app", "migration-plan/src/cli/x.ts", 'import "@strangler/users-service";'],
    ["the proxy importing the stack", "strangler-proxy/src/x.ts", 'import "@strangler/stack";'],
    ["the proxy importing the monolith", "strangler-proxy/src/x.ts", 'import "../../legacy-monolith/src/app";'],
    ["the CDC process importing the stack", "cdc/src/process/x.ts", 'import "@strangler/stack";'],
    [
      "the demo importing an app's internals",
      "stack/src/demo/x.ts",
      'import "../../../legacy-monolith/src/seed/seed-monolith";',
    ],
    ["the proxy importing the blog example", "strangler-proxy/src/x.ts", 'import "../../examples/blog/src/app";'],
    ["the CDC process importing the blog example by package", "cdc/src/x.ts", 'import "@strangler/example-blog";'],
    ["the CLI importing the blog example", "migration-plan/src/x.ts", 'import "../../examples/blog/src/app";'],
    ["the stack importing the blog example", "stack/src/x.ts", 'import "../../examples/blog/src/app";'],
    ["the blog example importing the proxy", "examples/blog/src/x.ts", 'import "@strangler/proxy";'],
  ])("rejects %s", async (_case, file, source) => {
    expect(await restrictedImports(file, `${source}\nexport {};\n`)).toHaveLength(1);
  });

  it.each([
    ["a service importing a shared library", "extracted/users-service/src/x.ts", 'import "@strangler/service-kit";'],
    ["a service importing its own code", "extracted/users-service/src/x.ts", 'import "./profiles/users-router";'],
    ["the demo importing an app's public entry point", "stack/src/demo/x.ts", 'import "@strangler/legacy-monolith";'],
    [
      "a test importing both apps",
      "test/contract/x.ts",
      'import "../../legacy-monolith/src/app";\nimport "../../extracted/users-service/src/app";',
    ],
    [
      "a library's e2e test starting a real Unleash through the stack",
      "libs/unleash-admin/test/x.e2e.test.ts",
      'import "@strangler/stack";',
    ],
    [
      "the CLI's e2e test starting a real Unleash through the stack",
      "migration-plan/test/x.e2e.test.ts",
      'import "@strangler/stack";',
    ],
    ["the CLI importing the operations contract", "migration-plan/src/cli/x.ts", 'import "@strangler/ops-contract";'],
    [
      "the blog's e2e test starting the blog and Unleash",
      "examples/blog/test/x.e2e.test.ts",
      'import "../src/app";\nimport "@strangler/stack";',
    ],
  ])("allows %s", async (_case, file, source) => {
    expect(await restrictedImports(file, `${source}\nexport {};\n`)).toEqual([]);
  });
});
