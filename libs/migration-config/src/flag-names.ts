/** Unleash flag that sends a share of a route's real traffic to the new service. */
export function serveFlagName(routeId: string): string {
  return `strangler.${routeId}.serve`;
}

/** Unleash flag that mirrors a route's traffic to the new service for comparison. */
export function shadowFlagName(routeId: string): string {
  return `strangler.${routeId}.shadow`;
}
