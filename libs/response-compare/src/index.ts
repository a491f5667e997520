/** The response comparator, shared by shadow mode (the proxy) and HTTP parity (the CLI). */
export type { ComparedResponse, Comparison, Difference, DifferenceKind, Side } from "./compare-types";
export { compareResponses, compareSameSide, compileCompareRules, type CompareRules } from "./response-comparator";
