import { compileRouteComparePlans, type RouteComparePlan } from "@strangler/response-compare";

/** How one route's shadow exchanges are judged: the comparator's route plan, shared with HTTP parity. */
export type ShadowRoutePlan = RouteComparePlan;

/** One plan per route of the config (see compileRouteComparePlans: a write's noise comes from its reads). */
export const compileShadowRoutePlans = compileRouteComparePlans;
