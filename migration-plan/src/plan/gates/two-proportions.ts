import { normalUpperTail } from "./normal-tail";

/** One side of a two-proportion comparison: how many trials, how many of them "failed". */
export interface ProportionSample {
  trials: number;
  events: number;
}

/** The outcome of a one-sided test that the first proportion exceeds the second by more than a margin. */
export interface TwoProportionsResult {
  rate1: number;
  rate2: number;
  /** rate1 - rate2 - margin over its standard error; 0 when both rates are 0 or 1 (no variance). */
  z: number;
  /** One-sided p-value of "rate1 exceeds rate2 by more than the margin"; 1 without evidence. */
  pValue: number;
}

/**
 * One-sided z-test of H1: p1 − p2 > margin against H0: p1 − p2 ≤ margin (a non-inferiority test on
 * the service's error rate), with the unpooled standard error: under a non-zero margin the two rates
 * are not assumed equal, so pooling them would be wrong. With no variance at all (both rates 0, or
 * both 1) the difference is exact: p-value 0 when it exceeds the margin, 1 otherwise.
 */
export function twoProportionsExcess(
  first: ProportionSample,
  second: ProportionSample,
  margin: number,
): TwoProportionsResult {
  for (const side of [first, second])
    if (!(side.trials >= 0 && side.events >= 0 && side.events <= side.trials))
      throw new Error(`a proportion needs 0 ≤ events ≤ trials, not ${side.events} of ${side.trials}`);
  const rate1 = first.trials === 0 ? 0 : first.events / first.trials;
  const rate2 = second.trials === 0 ? 0 : second.events / second.trials;
  if (first.trials === 0 || second.trials === 0) return { rate1, rate2, z: 0, pValue: 1 };
  const excess = rate1 - rate2 - margin;
  const se = Math.sqrt((rate1 * (1 - rate1)) / first.trials + (rate2 * (1 - rate2)) / second.trials);
  if (se === 0) return { rate1, rate2, z: 0, pValue: excess > 0 ? 0 : 1 };
  const z = excess / se;
  return { rate1, rate2, z, pValue: normalUpperTail(z) };
}
