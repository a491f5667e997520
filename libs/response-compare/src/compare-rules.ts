import type { CompareRulesConfig } from "@strangler/migration-config";
import { COMPARED_HEADERS, NOISE_ABSOLUTE_POINTS, NOISE_RELATIVE_PERCENT } from "./defaults";
import { compileFieldMap, type FieldMove } from "./field-map";
import { compileNormaliser, nullIsMissing, type Normaliser } from "./normalisers";
import { compilePointerPatterns, type MatchState } from "./pointer-pattern";

/** What the rules say about one path in a body. */
export interface NodeRules {
  /** Left out of the comparison, with everything below it. */
  readonly ignore: boolean;
  readonly normalisers: readonly Normaliser[];
  readonly nullIsMissing: boolean;
  /** The member that keys this array's elements (compared as a set), if a rule says so. */
  readonly arrayBy: string | undefined;
}

/** Diffy's thresholds for telling a regression from noise (see isRegression). */
export interface NoiseThresholds {
  /** Percent of the noise rate by which the old-vs-new rate must exceed it. */
  readonly relative: number;
  /** Percentage points by which the old-vs-new rate must exceed the noise rate. */
  readonly absolute: number;
}

/** The rules of one route, compiled once (the service's rules refined by the route's). */
export interface CompareRules {
  /** The merged rules as configured. */
  readonly config: CompareRulesConfig;
  /** Lower-case names of the compared response headers. */
  readonly headers: readonly string[];
  readonly noise: NoiseThresholds;
  /** The path automaton's start (the body's root). */
  readonly root: MatchState<NodeRules>;
  /** Old → new field moves applied to the legacy body. */
  readonly moves: readonly FieldMove[];
}

const EMPTY: CompareRulesConfig = { ignore: [], normalise: [], arrays: [], map: {} };

/**
 * Compiles the service's rules refined by the route's (lists add up, the route's scalars and map
 * entries win); throws CompareRulesError when the merged map moves two fields to one place.
 */
export function compileCompareRules(
  service: CompareRulesConfig | undefined,
  route: CompareRulesConfig | undefined,
): CompareRules {
  const s = service ?? EMPTY;
  const r = route ?? EMPTY;
  const config: CompareRulesConfig = {
    headers: r.headers ?? s.headers,
    ignore: [...s.ignore, ...r.ignore],
    normalise: [...s.normalise, ...r.normalise],
    arrays: [...s.arrays, ...r.arrays],
    map: { ...s.map, ...r.map },
    noise: r.noise ?? s.noise,
  };
  // One automaton for every pattern; the index tells which rule matched: ignores, then normalisers, then arrays.
  const patterns = [
    ...config.ignore,
    ...config.normalise.map((rule) => rule.path),
    ...config.arrays.map((rule) => rule.path),
  ];
  const normalisers = config.normalise.map(compileNormaliser);
  const firstNormaliser = config.ignore.length;
  const firstArray = firstNormaliser + normalisers.length;
  const root = compilePointerPatterns<NodeRules>(patterns, (matched) => {
    const here = matched
      .filter((i) => i >= firstNormaliser && i < firstArray)
      .map((i) => normalisers[i - firstNormaliser] as Normaliser);
    const array = matched.find((i) => i >= firstArray);
    return {
      ignore: matched.some((i) => i < firstNormaliser),
      normalisers: here,
      nullIsMissing: nullIsMissing(here),
      arrayBy: array === undefined ? undefined : config.arrays[array - firstArray]?.by,
    };
  });
  return {
    config,
    headers: (config.headers ?? COMPARED_HEADERS).map((name) => name.toLowerCase()),
    noise: {
      relative: config.noise?.relative ?? NOISE_RELATIVE_PERCENT,
      absolute: config.noise?.absolute ?? NOISE_ABSOLUTE_POINTS,
    },
    root,
    moves: compileFieldMap(config.map),
  };
}
