export { createProxy, type CreateProxyDeps, type Proxy, type ProxyConfig, type ProxyDeps } from "./create-proxy";
export type { RoutingReport } from "./admin/routing-report";
export { loadProxySettings, type ProxySettings } from "./config/proxy-settings";
export { ProxyError, PROXY_ERRORS, type ProxyErrorCode } from "./errors/proxy-error";
export type { FlagContext, FlagSource, FlagSourceStatus, FlagState } from "./flags/flag-source";
export { createFakeFlagSource, type FakeFlagSource } from "./flags/fake-flag-source";
export { createUnleashFlagSource, type UnleashFlagSourceOptions } from "./flags/unleash-flag-source";
export { createProxyLogger } from "./logging/create-logger";
export { type DiffResultsReader } from "./admin/diff-results-reader";
