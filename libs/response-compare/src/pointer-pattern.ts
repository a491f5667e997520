import { MATCHER_CACHE_LIMIT } from "./defaults";
import { parsePointer } from "./json-pointer";

/** One segment of a pointer pattern: a member name or index, `*` (any one segment) or `**` (any depth, incl. none). */
type Token = { readonly literal: string } | "*" | "**";

function tokensOf(pattern: string): Token[] {
  return parsePointer(pattern).map((segment) => (segment === "*" || segment === "**" ? segment : { literal: segment }));
}

/**
 * A state of the lazily built automaton that matches a path, segment by segment, against all the
 * rules' pointer patterns at once: the comparator steps it per JSON node instead of testing each
 * pattern (or a regex) against each node's path. States and transitions are cached, so after the
 * first comparisons a step is a set and a map lookup; `info` is what the rules say about paths ending here.
 */
export interface MatchState<T> {
  readonly info: T;
  /** True when no pattern can match here or below: the walk stops stepping. */
  readonly dead: boolean;
  step(segment: string): MatchState<T>;
}

/** Builds the automaton for patterns; `describe` turns the indexes of the patterns matching a path into its `info`. */
export function compilePointerPatterns<T>(
  patterns: readonly string[],
  describe: (matched: readonly number[]) => T,
): MatchState<T> {
  const tokens = patterns.map(tokensOf);
  // Positions are numbered globally: pattern i, token j → offsets[i] + j; offsets[i] + tokens[i].length = accepted.
  const offsets: number[] = [];
  const owner: number[] = [];
  const tokenAt: Array<Token | undefined> = [];
  for (const [i, list] of tokens.entries()) {
    offsets.push(tokenAt.length);
    for (const token of list) {
      owner.push(i);
      tokenAt.push(token);
    }
    owner.push(i);
    tokenAt.push(undefined);
  }
  const states = new Map<string, State>();

  /** Adds the positions reachable without consuming a segment (`**` may match none). */
  function close(positions: number[]): number[] {
    const out = new Set<number>();
    const pending = [...positions];
    while (pending.length > 0) {
      const p = pending.pop() as number;
      if (out.has(p)) continue;
      out.add(p);
      if (tokenAt[p] === "**") pending.push(p + 1);
    }
    return [...out].sort((a, b) => a - b);
  }

  function stateOf(positions: number[]): State {
    const key = positions.join(",");
    const known = states.get(key);
    if (known) return known;
    const state = new State(positions);
    if (states.size < MATCHER_CACHE_LIMIT) states.set(key, state);
    return state;
  }

  class State implements MatchState<T> {
    readonly info: T;
    readonly dead: boolean;
    /** The literal segments some pattern expects here; any other segment leads to one and the same state. */
    private readonly literals: ReadonlySet<string>;
    private readonly next = new Map<string, State>();
    private otherNext: State | undefined;

    constructor(private readonly positions: number[]) {
      this.dead = positions.every((p) => tokenAt[p] === undefined);
      this.literals = new Set(
        positions.flatMap((p) => {
          const token = tokenAt[p];
          return typeof token === "object" ? [token.literal] : [];
        }),
      );
      this.info = describe(positions.filter((p) => tokenAt[p] === undefined).map((p) => owner[p] as number));
    }

    step(segment: string): State {
      if (this.positions.length === 0) return this;
      // Array indices and keyed elements are unbounded: only the few literal segments get their own transition.
      if (!this.literals.has(segment)) return (this.otherNext ??= this.compute(segment));
      let known = this.next.get(segment);
      if (!known) this.next.set(segment, (known = this.compute(segment)));
      return known;
    }

    private compute(segment: string): State {
      const moved: number[] = [];
      for (const p of this.positions) {
        const token = tokenAt[p];
        if (token === undefined) continue;
        if (token === "**") moved.push(p);
        else if (token === "*" || token.literal === segment) moved.push(p + 1);
      }
      return stateOf(close(moved));
    }
  }

  return stateOf(close(offsets));
}
