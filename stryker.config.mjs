// `npm run test:mutation`: Stryker mutates the pure modules where a silent change does the most
// harm (path parsing and route patterns, identity, idempotency and the breaker, config validation,
// the CDC mapping compiler and envelope parsing, the response comparator) and runs their unit tests
// against every mutant.
// Not part of `npm test`. README.md (Tests) says how long it takes and where the report goes.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "jest",
  jest: {
    projectType: "custom",
    // Only the unit tests beside the mutated modules: no e2e tests, no databases, no global setup.
    configFile: "jest.mutation.config.js",
    // Each mutant runs only the tests that import its file (and, with perTest coverage, cover it).
    enableFindRelatedTests: true,
  },
  coverageAnalysis: "perTest",
  // Type-checks each mutant first: swc strips types without checking them, so a mutant that does
  // not compile would otherwise run (and maybe survive) as plain JavaScript.
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.mutation.json",
  mutate: [
    "libs/migration-config/src/route-pattern.ts",
    "libs/migration-config/src/config-schema.ts",
    "libs/migration-config/src/identity-source-schema.ts",
    "libs/migration-config/src/data-config-schema.ts",
    "libs/migration-config/src/load-migration-config.ts",
    "libs/migration-config/src/env-interpolation.ts",
    "libs/migration-config/src/compare-rules-schema.ts",
    "libs/response-compare/src/compare-rules.ts",
    "libs/response-compare/src/json-diff.ts",
    "libs/response-compare/src/pointer-pattern.ts",
    "libs/response-compare/src/json-pointer.ts",
    "libs/response-compare/src/normalisers.ts",
    "libs/response-compare/src/field-map.ts",
    "libs/response-compare/src/content-decoding.ts",
    "libs/response-compare/src/response-comparator.ts",
    "libs/response-compare/src/signature.ts",
    "libs/response-compare/src/noise-verdict.ts",
    "libs/response-compare/src/deep-equal.ts",
    "strangler-proxy/src/routing/request-target.ts",
    "strangler-proxy/src/routing/route-table.ts",
    "strangler-proxy/src/flags/identity.ts",
    "strangler-proxy/src/fallback/idempotent.ts",
    "strangler-proxy/src/fallback/circuit-breaker.ts",
    "cdc/src/mapping/compile-table-mapping.ts",
    "cdc/src/mapping/name-split.ts",
    "cdc/src/envelope/debezium-envelope.ts",
  ],
  // Stryker copies the project into .stryker-tmp/ (node_modules is linked, not copied). Copy only
  // what the unit tests read: .strangler/ alone can hold gigabytes of databases.
  ignorePatterns: [
    "/*",
    "!/libs",
    "/libs/*",
    "!/libs/migration-config",
    "!/libs/response-compare",
    "!/strangler-proxy",
    "!/cdc",
    "!/migration-plan",
    "/migration-plan/*",
    "!/migration-plan/strangler.config.yaml",
    "!/package.json",
    "!/tsconfig.json",
    "!/tsconfig.mutation.json",
    "!/jest.mutation.config.js",
  ],
  // Results are kept in reports/stryker-incremental.json: a later run re-tests only the mutants
  // whose code or covering tests changed (`npm run test:mutation -- --force` re-tests everything).
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ["clear-text", "progress", "html"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  thresholds: { high: 90, low: 80, break: 80 },
  cleanTempDir: "always",
};
