/** Defaults of the Unleash admin client, in one place. Times in milliseconds. */

/** How long one admin API request may take before Unleash counts as unreachable. */
export const REQUEST_TIMEOUT = 5_000;
/** Unleash flag type of the route flags: a release flag, meant to be removed once the route has moved. */
export const ROUTE_FLAG_TYPE = "release";
/** The activation strategy of every route flag: a gradual rollout with a sticky percentage. */
export const ROLLOUT_STRATEGY = "flexibleRollout";
/** Unleash's "default" stickiness: userId when the context has one, else sessionId, else random. */
export const ROLLOUT_STICKINESS = "default";
/** Requests to Unleash at the same time when many flags are read or provisioned. */
export const MAX_PARALLEL_REQUESTS = 4;
