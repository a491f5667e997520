/** Comparison rules that cannot be compiled (e.g. a service's and a route's `map` moving two fields to one place). */
export class CompareRulesError extends Error {
  readonly code = "STRANGLER_COMPARE_RULES_INVALID";
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = "CompareRulesError";
  }
}
