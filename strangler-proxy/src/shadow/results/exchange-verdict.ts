import {
  compareResponses,
  compareSameSide,
  signatureOf,
  type Comparison,
  type Difference,
} from "@strangler/response-compare";
import type { CallOutcome, CapturedAnswer, ShadowExchange } from "../shadow-sink";
import type { NoiseModel } from "./noise-model";
import type { ShadowRoutePlan } from "./shadow-route-plans";

/** What became of one shadow exchange. */
export type Verdict =
  | { kind: "match" }
  | { kind: "noiseOnly"; noise: Difference[] }
  | { kind: "mismatch"; signature: string; differences: Difference[]; comparison: Comparison }
  | { kind: "cdcFirst" }
  | { kind: "candidateError" }
  | { kind: "candidateTimeout" }
  | { kind: "skipped"; reason: "response_too_large" | "primary_failed" };

const answered = (outcome: CallOutcome | undefined): CapturedAnswer | undefined =>
  outcome?.kind === "answered" ? outcome.answer : undefined;

/**
 * "CDC got there first": the candidate's database is fed from the primary's, so a mirrored write can
 * find its effect already there: a create answered 409, a delete or update of the same key answered
 * 404, while the primary succeeded. That says nothing about the candidate's correctness.
 */
export function isCdcFirst(method: string, primaryStatus: number, candidateStatus: number): boolean {
  if (primaryStatus < 200 || primaryStatus > 299) return false;
  const verb = method.toUpperCase();
  if (verb === "POST") return candidateStatus === 409;
  return (verb === "DELETE" || verb === "PATCH" || verb === "PUT") && candidateStatus === 404;
}

/**
 * Judges one exchange and teaches the noise model what it saw: the noise sample (primary vs primary
 * again) first, then the comparison of legacy against service; a difference only on fields learnt as
 * noise makes the exchange noise-only.
 */
export function judgeExchange(exchange: ShadowExchange, plan: ShadowRoutePlan, noise: NoiseModel): Verdict {
  const primary = answered(exchange.primaryOutcome);
  const again = answered(exchange.primaryAgain);
  if (primary !== undefined && again !== undefined) {
    const same = compareSameSide(primary, again, plan.rules);
    noise.observeNoiseSample(
      plan.routeId,
      same.differences.map((d) => d.path),
    );
  }
  const candidateOutcome = exchange.candidateOutcome;
  if (candidateOutcome.kind === "error") return { kind: "candidateError" };
  if (candidateOutcome.kind === "timeout") return { kind: "candidateTimeout" };
  if (candidateOutcome.kind === "too_large" || exchange.primaryOutcome.kind === "too_large")
    return { kind: "skipped", reason: "response_too_large" };
  if (primary === undefined) return { kind: "skipped", reason: "primary_failed" };
  const candidate = candidateOutcome.answer;
  if (exchange.dryRun && isCdcFirst(exchange.method, primary.status, candidate.status)) return { kind: "cdcFirst" };

  const [legacy, service] = exchange.primary === "legacy" ? [primary, candidate] : [candidate, primary];
  const comparison = compareResponses(legacy, service, plan.rules);
  noise.observeComparison(
    plan.routeId,
    comparison.differences.map((d) => d.path),
  );
  if (comparison.equal) return { kind: "match" };
  const regressions = comparison.differences.filter((d) => !noise.isNoise(plan.noiseRoutes, d.path, plan.thresholds));
  if (regressions.length === 0) return { kind: "noiseOnly", noise: comparison.differences };
  const signature =
    regressions.length === comparison.differences.length ? comparison.signature : signatureOf(regressions);
  return { kind: "mismatch", signature, differences: regressions, comparison };
}
