export { appRunSchema, STACK_APP_VARIABLES, type AppRunConfig } from "./app-run-schema";
export { compileRoutes, servicePathOf, type CompiledRoute, type ServicePathTemplate } from "./compiled-routes";
export { MigrationConfigError } from "./config-error";
export {
  CDC_TRANSPORTS,
  migrationConfigSchema,
  type CdcConfig,
  type CdcTransport,
  type DataConfig,
  type DataTableConfig,
  type HttpMethod,
  type IdentitySource,
  type LegacyConfig,
  type MigrationConfig,
  type RouteConfig,
  type ServiceConfig,
  type ShadowSettings,
  type ToolkitConfig,
} from "./config-schema";
export { compareRulesSchema, type CompareRulesConfig } from "./compare-rules-schema";
export { interpolateEnv } from "./env-interpolation";
export { redactDatabaseUrl } from "./redact-database-url";
export { serveFlagName, shadowFlagName } from "./flag-names";
export { DEFAULT_CONFIG_PATH, loadMigrationConfig, parseMigrationConfig } from "./load-migration-config";
export {
  matchRoutePattern,
  parseRoutePattern,
  patternsOverlap,
  type PatternSegment,
  type RoutePattern,
} from "./route-pattern";
export { copiesAllColumns } from "./data-config-schema";
export {
  DEFAULT_SCHEMA,
  formatTableName,
  identifierProblem,
  parseTableName,
  qualifiedTableSql,
  quoteIdentifier,
  tableNameOf,
  type TableName,
} from "./table-name";
export { planSchema, type PlanConfig } from "./plan-config-schema";
