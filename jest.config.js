/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } } }] },
  testMatch: ["<rootDir>/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/generated/", "/.strangler/", "/.stryker-tmp/"],
  modulePathIgnorePatterns: ["<rootDir>/.strangler/", "<rootDir>/.stryker-tmp/"],
  globalSetup: "<rootDir>/test/jest-global-setup.ts",
  globalTeardown: "<rootDir>/test/jest-global-teardown.ts",
  testTimeout: 60000,
  maxWorkers: 2,
};
