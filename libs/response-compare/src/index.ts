/** The response comparator, shared by shadow mode (the proxy) and HTTP parity (the CLI). */
export type { ComparedResponse, Comparison, Difference, DifferenceKind, Side } from "./compare-types";
export { CompareRulesError } from "./compare-error";
export { compileCompareRules, type CompareRules, type NoiseThresholds } from "./compare-rules";
export { decodeBody, type DecodedBody } from "./content-decoding";
export { generalisePath } from "./json-pointer";
export {
  classifyDifferences,
  DEFAULT_NOISE_THRESHOLDS,
  isLearntNoise,
  isRegression,
  type ClassifiedDifferences,
  type FieldDiffStats,
} from "./noise-verdict";
export { compareResponses, compareSameSide } from "./response-comparator";
export { signatureFields, signatureOf, type SignatureField } from "./signature";
export { compileRouteComparePlans, type RouteComparePlan } from "./route-compare-plans";
