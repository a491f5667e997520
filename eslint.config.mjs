import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const restrict = (patterns) => ({ "no-restricted-imports": ["error", { patterns }] });
const monolith = {
  group: ["**/legacy-monolith/**", "@strangler/legacy-monolith", "@strangler/legacy-monolith/**"],
  message: "Extracted services and libraries never import the monolith.",
};
const services = {
  group: ["**/extracted/**", "**/*-service/**", "@strangler/*-service", "@strangler/*-service/**"],
  message: "Only the stack and tests may reach into extracted services.",
};
const proxy = {
  group: ["**/strangler-proxy/**", "@strangler/proxy", "@strangler/proxy/**"],
  message: "cdc never imports the proxy.",
};
const stack = {
  group: ["**/stack/**", "@strangler/stack", "@strangler/stack/**"],
  message: "Apps and libraries never import the stack.",
};
const appInternals = {
  group: ["**/legacy-monolith/src/**", "**/extracted/*/src/**", "@strangler/*/src/**"],
  message: "Use an app's public entry point (its package name), not its src/ internals.",
};
const examples = {
  group: ["**/examples/**", "@strangler/example-*", "@strangler/example-*/**"],
  message: "The toolkit never imports an example app: it is driven by the migration config alone.",
};

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/generated/**", ".strangler/**", "coverage/**", ".stryker-tmp/**", "reports/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  // Type-aware rules: a promise nobody awaits, or one handed to a callback that ignores it, loses its errors.
  // test/lint/boundaries.test.ts lints made-up files (not in any tsconfig) for the import rules only:
  // it turns these off with STRANGLER_LINT_UNTYPED=1.
  ...(process.env.STRANGLER_LINT_UNTYPED === "1"
    ? []
    : [
        {
          files: ["**/*.ts"],
          languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
          rules: {
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-misused-promises": "error",
          },
        },
      ]),
  { files: ["**/*.cjs"], rules: { "@typescript-eslint/no-require-imports": "off" } },
  // Architecture boundaries (DESIGN.md): checked here, in `npm run lint`.
  { files: ["legacy-monolith/src/**"], rules: restrict([services, stack]) },
  { files: ["extracted/*/src/**"], rules: restrict([monolith, services, stack]) },
  { files: ["libs/*/src/**"], rules: restrict([monolith, services, stack, examples]) },
  { files: ["cdc/src/**"], rules: restrict([monolith, services, stack, proxy, examples]) },
  // The toolkit's processes stand alone: the proxy and the `strangler` CLI never need the stack
  // (unleash-server, embedded PostgreSQL) or the example's apps (ADR 0013).
  { files: ["strangler-proxy/src/**"], rules: restrict([monolith, services, stack, examples]) },
  { files: ["migration-plan/src/**", "migration-plan/bin/**"], rules: restrict([monolith, services, stack, examples]) },
  { files: ["stack/src/**"], rules: restrict([examples]) },
  { files: ["stack/src/demo/**"], rules: restrict([appInternals, examples]) },
  // A second monolith (examples/blog) stands alone, like a user's app: none of the toolkit, no other app.
  { files: ["examples/*/src/**"], rules: restrict([monolith, services, stack, proxy]) },
  // CLIs and scripts talk to a terminal.
  { files: ["**/*-cli.ts", "**/demo/**", "**/bin/**", "**/seed/**", "bench/**"], rules: { "no-console": "off" } },
);
