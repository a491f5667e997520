export { ROLLOUT_STICKINESS, ROLLOUT_STRATEGY, ROUTE_FLAG_TYPE } from "./defaults";
export { type FlagState } from "./feature-model";
export {
  createUnleashAdmin,
  type EnsureOutcome,
  type EnsureReport,
  type RolloutChange,
  type RouteFlagRef,
  type RouteFlagsState,
  type UnleashAdmin,
  type UnleashAdminOptions,
} from "./unleash-admin";
export { UnleashAdminError, type UnleashAdminErrorCode } from "./unleash-admin-error";
export { type FetchLike } from "./unleash-http";
