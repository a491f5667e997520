// The unit tests that `npm run test:mutation` (Stryker, stryker.config.json) runs against each
// mutant: only tests beside the mutated modules, pure and fast (no databases, no servers), and
// without the global setup that starts PostgreSQL.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } } }] },
  testMatch: [
    "<rootDir>/libs/migration-config/src/**/*.test.ts",
    "<rootDir>/libs/response-compare/src/**/*.test.ts",
    "<rootDir>/strangler-proxy/src/{routing,flags,fallback}/**/*.test.ts",
    "<rootDir>/cdc/src/{mapping,envelope}/**/*.test.ts",
  ],
  testPathIgnorePatterns: ["/node_modules/", "\\.e2e\\.test\\.ts$"],
  // A mutation run's sandbox (.stryker-tmp/) holds a copy of every package; never pick it up from here.
  modulePathIgnorePatterns: ["<rootDir>/.stryker-tmp/"],
  // Only these folders are crawled: each mutant's run starts jest again, and a smaller haste map is faster.
  roots: [
    "<rootDir>/libs/migration-config/src",
    "<rootDir>/libs/response-compare/src",
    "<rootDir>/strangler-proxy/src",
    "<rootDir>/cdc/src",
  ],
  maxWorkers: 1,
};
