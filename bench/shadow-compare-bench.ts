// The comparator's share of bench:shadow (issue 11): on realistic ~2 KB JSON pairs (user profiles with
// nested arrays, the candidate's keys in another order, ~10 % with one planted difference), the rate of
// compareResponses — content decoding, UTF-8 and JSON parsing of both bodies, field map, structural diff,
// signature — against the rate of JSON.parse of both bodies alone (from their bytes). Alternating rounds,
// medians reported. Target: ratio ≥ 0.5. `tsx bench/shadow-compare-bench.ts` prints a JSON line last;
// bench:shadow imports measureComparator.
import { compareResponses, compileCompareRules, type ComparedResponse } from "@strangler/response-compare";
import { makeProfilePairs } from "./support/profile-pairs";

/** Options of measureComparator (defaults in parentheses). */
export interface ComparatorBenchOptions {
  /** Distinct pairs cycled through (1,000). */
  pairs?: number;
  /** Share of pairs with a planted difference (0.1). */
  diffShare?: number;
  /** Alternating rounds of parse and compare; medians reported (5). */
  rounds?: number;
  /** Operations (pairs) per round and side (10,000). */
  opsPerRound?: number;
}

/** What measureComparator found. */
export interface ComparatorBenchResult {
  /** Pairs compared per second (median of rounds). */
  compareOpsPerSec: number;
  /** Pairs whose two bodies JSON.parse read per second (median of rounds). */
  parseOpsPerSec: number;
  /** compareOpsPerSec / parseOpsPerSec, the median of each round's ratio. */
  ratio: number;
  /** Issue 11's target for ratio. */
  target: number;
  /** Mean size of one body in bytes. */
  meanBodyBytes: number;
  /** Share of pairs the comparator found unequal (should be the planted share). */
  mismatchShare: number;
  pairs: number;
  rounds: number;
  opsPerRound: number;
}

const TARGET_RATIO = 0.5;
/** Rules a user would write for such a route: an id to ignore, second-precision timestamps, orders as a set. */
const RULES = compileCompareRules(
  {
    ignore: ["/uuid"],
    normalise: [
      { path: "/**/placedAt", timestampPrecision: "s" },
      { path: "/email", caseInsensitive: true },
    ],
    arrays: [{ path: "/orders", by: "id" }],
    map: {},
  },
  undefined,
);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Measures the comparator against JSON.parse of both bodies; see the file's header. */
export async function measureComparator(options: ComparatorBenchOptions = {}): Promise<ComparatorBenchResult> {
  const { pairs: count = 1_000, diffShare = 0.1, rounds = 5, opsPerRound = 10_000 } = options;
  const pairs = makeProfilePairs(count, diffShare);
  const headers = { "content-type": "application/json; charset=utf-8" };
  const answers: Array<[ComparedResponse, ComparedResponse]> = pairs.map((pair) => [
    { status: 200, headers, body: pair.legacy },
    { status: 200, headers, body: pair.service },
  ]);
  let sink = 0;
  const parseRound = () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < opsPerRound; i++) {
      const pair = pairs[i % count]!;
      const a = JSON.parse(pair.legacy.toString("utf8")) as { id: number };
      const b = JSON.parse(pair.service.toString("utf8")) as { id: number };
      sink += a.id === b.id ? 1 : 0;
    }
    return opsPerRound / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  let unequal = 0;
  const compareRound = () => {
    unequal = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < opsPerRound; i++) {
      const [legacy, service] = answers[i % count]!;
      if (!compareResponses(legacy, service, RULES).equal) unequal++;
    }
    return opsPerRound / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  parseRound(); // warm-up: let both loops be optimised before measuring
  compareRound();
  const parseRates: number[] = [];
  const compareRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    parseRates.push(parseRound());
    compareRates.push(compareRound());
    await new Promise((resolve) => setImmediate(resolve)); // let a caller's event loop breathe between rounds
  }
  if (sink < 0) throw new Error("unreachable: keeps the parse loop's results alive");
  return {
    compareOpsPerSec: Math.round(median(compareRates)),
    parseOpsPerSec: Math.round(median(parseRates)),
    ratio: Number(median(compareRates.map((rate, i) => rate / (parseRates[i] as number))).toFixed(3)),
    target: TARGET_RATIO,
    meanBodyBytes: Math.round(
      pairs.reduce((sum, pair) => sum + pair.legacy.length + pair.service.length, 0) / (2 * count),
    ),
    mismatchShare: Number((unequal / opsPerRound).toFixed(3)),
    pairs: count,
    rounds,
    opsPerRound,
  };
}

async function main(): Promise<void> {
  const result = await measureComparator();
  process.stdout.write(
    `comparator ${result.compareOpsPerSec} pairs/s vs JSON.parse of both ${result.parseOpsPerSec} pairs/s: ratio ${result.ratio} (target ≥ ${result.target})\n`,
  );
  process.stdout.write(`${JSON.stringify({ benchmark: "shadow-compare", ...result })}\n`);
}

if (require.main === module)
  main().catch((error: unknown) => {
    process.stderr.write(`shadow-compare bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
