// Two projects. `unit`: the tests beside the code (src/**/*.test.ts), pure and fast — no PostgreSQL,
// no servers, no global setup (`npm run test:unit`). `integration`: the tests under test/ folders and
// every *.e2e.test.ts, against real components; its global setup starts the run's PostgreSQL and
// fetches the Kafka jars. `npm run test:jest` runs both. A test beside the code that needs a real
// component is an *.e2e.test.ts.
const shared = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } } }] },
  testPathIgnorePatterns: ["/node_modules/", "/generated/", "/.strangler/", "/.stryker-tmp/"],
  modulePathIgnorePatterns: ["<rootDir>/.strangler/", "<rootDir>/.stryker-tmp/"],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    {
      ...shared,
      displayName: "unit",
      testMatch: ["<rootDir>/**/src/**/*.test.ts"],
      testPathIgnorePatterns: [...shared.testPathIgnorePatterns, "\\.e2e\\.test\\.ts$"],
    },
    {
      ...shared,
      displayName: "integration",
      testMatch: ["<rootDir>/**/test/**/*.test.ts", "<rootDir>/**/src/**/*.e2e.test.ts"],
      globalSetup: "<rootDir>/test/jest-global-setup.ts",
      globalTeardown: "<rootDir>/test/jest-global-teardown.ts",
    },
  ],
};
