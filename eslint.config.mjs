import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const restrict = (patterns) => ({ "no-restricted-imports": ["error", { patterns }] });
const monolith = { group: ["**/legacy-monolith/**", "@strangler/legacy-monolith", "@strangler/legacy-monolith/**"], message: "Extracted services and libraries never import the monolith." };
const services = { group: ["**/extracted/**", "**/*-service/**", "@strangler/*-service", "@strangler/*-service/**"], message: "Only the stack and tests may reach into extracted services." };
const proxy = { group: ["**/strangler-proxy/**", "@strangler/proxy", "@strangler/proxy/**"], message: "cdc never imports the proxy." };
const stack = { group: ["**/stack/**", "@strangler/stack", "@strangler/stack/**"], message: "Apps and libraries never import the stack." };
const examples = { group: ["**/examples/**", "@strangler/example-*", "@strangler/example-*/**"], message: "The toolkit never imports an example app: it is driven by the migration config alone." };

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/generated/**", ".strangler/**", "coverage/**", ".stryker-tmp/**", "reports/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  { files: ["**/*.cjs"], rules: { "@typescript-eslint/no-require-imports": "off" } },
  // Architecture boundaries (DESIGN.md): checked here, in `npm run lint`.
  { files: ["legacy-monolith/src/**"], rules: restrict([services, stack]) },
  { files: ["extracted/*/src/**"], rules: restrict([monolith, services, stack]) },
  { files: ["libs/*/src/**"], rules: restrict([monolith, services, stack, examples]) },
  { files: ["cdc/src/**"], rules: restrict([monolith, services, stack, proxy, examples]) },
  { files: ["strangler-proxy/src/**"], rules: restrict([monolith, services, stack, examples]) },
  { files: ["migration-plan/src/**"], rules: restrict([monolith, services, examples]) },
  { files: ["stack/src/**"], rules: restrict([examples]) },
  // A second monolith (examples/blog) stands alone, like a user's app: none of the toolkit, no other app.
  { files: ["examples/*/src/**"], rules: restrict([monolith, services, stack, proxy]) },
  // CLIs and scripts talk to a terminal.
  { files: ["**/*-cli.ts", "**/demo/**", "**/bin/**", "**/seed/**", "bench/**"], rules: { "no-console": "off" } },
);
