/** The local Strangler stack as a library: used by the CLI, the demo and the tests. */
export {
  type ExternalPostgresConfig,
  type ManagedPostgresConfig,
  type StackConfig,
  loadStackConfig,
  loadTestDatabaseUrl,
  loadTestStackConfig,
} from "./config/stack-config";
export { type StackPaths, stackPaths } from "./config/stack-paths";
export { StackError, type StackErrorCode } from "./errors/stack-error";
export { type Component, type ComponentStatus, type StartOutcome, type StopOutcome } from "./stack/component";
export { type ProgressEvent, type ProgressListener, silentProgress } from "./stack/progress";
export { type StackRunOptions, type StackStatus, stackDown, stackStatus, stackUp } from "./stack/stack-lifecycle";
export { createStackComponents } from "./stack/stack-components";
export { ensurePostgres, prepareDatabases, stopPostgres } from "./postgres/postgres-component";
export {
  type ConfiguredDatabase,
  configuredDatabases,
  type DatabaseDefinition,
  type DatabaseMigration,
  stackDatabases,
  STACK_OWN_DATABASES,
  templateDatabases,
} from "./postgres/databases";
export { type PrepareDatabasesOptions } from "./postgres/prepare-databases";
export { adminDatabaseUrl } from "./postgres/postgres-server-url";
export { databaseUrl } from "./postgres/pg-client";
export { type NodeAppDefinition, createNodeAppComponent } from "./apps/node-app-component";
export { appComponents, managedAppDefinition } from "./apps/app-definitions";
export { type ConfiguredApp, configuredApps } from "./apps/configured-apps";
export { createTestDatabase, type TestDatabase } from "./testing/test-database";
export { startTestUnleash, type TestUnleash } from "./testing/test-unleash";
export {
  generateStackSecrets,
  loadOrCreateStackSecrets,
  readStackSecrets,
  type StackSecrets,
  stackSecretsFile,
} from "./secrets/stack-secrets";
export { loadStackMigrationConfig, migrationConfigEnv, stackUnleashUrl } from "./config/migration-config-env";
export { createUnleashComponent, UNLEASH_DATABASE } from "./unleash/unleash-component";
export { createProxyComponent, proxyEnv } from "./proxy/proxy-component";
export { provisionRouteFlags } from "./unleash/route-flag-provisioning";
export { freeLoopbackPort } from "./testing/unleash-test-process";
export { isProcessGroupRunning } from "./process/process-state";
export { formatTextTable } from "./cli/text-table";
