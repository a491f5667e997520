import type { NodeRules } from "./compare-rules";
import { deepEqual } from "./deep-equal";
import { MAX_COMPARE_DEPTH, ORDER_CHECK_MAX_LENGTH } from "./defaults";
import { DiffCollector } from "./diff-collector";
import { keyedSegment } from "./json-pointer";
import { equalUnderNormalisers } from "./normalisers";
import type { MatchState } from "./pointer-pattern";
import { previewValue } from "./value-preview";

type Rules = MatchState<NodeRules>;
type JsonObject = Record<string, unknown>;

// Module-local copies: read per node, and an imported binding may be a getter once compiled to CommonJS.
const MAX_DEPTH = MAX_COMPARE_DEPTH;
const ORDER_MAX = ORDER_CHECK_MAX_LENGTH;

const hasOwn = (target: object, key: string) => Object.prototype.hasOwnProperty.call(target, key);

/** Diffy's value types: a difference between two of them is of kind `type`. */
function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** The state below an array element: dead states need no index text. */
function atIndex(state: Rules, index: number): Rules {
  return state.dead ? state.step("") : state.step(String(index));
}

/**
 * Compares two parsed JSON bodies structurally under the rules (legacy = the old side, after the field
 * map), adding Diffy's kinds of difference to `out`: value, type, missing, extra, length, order.
 */
export function diffJson(legacy: unknown, service: unknown, root: Rules, out: DiffCollector): void {
  if (root.info.ignore) return;
  new JsonDiff(out).walk(legacy, service, root, 0);
}

class JsonDiff {
  private readonly path: Array<string | number> = [];

  constructor(private readonly out: DiffCollector) {}

  walk(a: unknown, b: unknown, state: Rules, depth: number): void {
    if (a === b || this.out.full) return;
    const type = typeOf(a);
    if (type !== typeOf(b)) return this.report("type", a, b);
    if (type !== "object" && type !== "array") {
      if (state.info.normalisers.length > 0 && equalUnderNormalisers(a, b, state.info.normalisers)) return;
      return this.report("value", a, b);
    }
    if (depth >= MAX_DEPTH) {
      if (!deepEqual(a, b)) this.report("value", a, b);
      return;
    }
    if (type === "object") return this.objects(a as JsonObject, b as JsonObject, state, depth);
    const by = state.info.arrayBy;
    if (by === undefined || !this.keyed(a as unknown[], b as unknown[], by, state, depth))
      this.positional(a as unknown[], b as unknown[], state, depth);
  }

  private objects(a: JsonObject, b: JsonObject, state: Rules, depth: number): void {
    let shared = 0;
    for (const key in a) {
      if (!hasOwn(a, key)) continue;
      const child = state.step(key);
      const inB = hasOwn(b, key);
      if (inB) shared++;
      if (child.info.ignore) continue;
      this.path.push(key);
      if (inB) this.walk(a[key], b[key], child, depth + 1);
      else if (!(a[key] === null && child.info.nullIsMissing)) this.report("missing", a[key], undefined, "legacy");
      this.path.pop();
      if (this.out.full) return;
    }
    let inB = 0;
    for (const key in b) if (hasOwn(b, key)) inB++;
    if (inB === shared) return;
    for (const key in b) {
      if (!hasOwn(b, key) || hasOwn(a, key)) continue;
      const child = state.step(key);
      if (child.info.ignore || (b[key] === null && child.info.nullIsMissing)) continue;
      this.path.push(key);
      this.report("extra", undefined, b[key], "service");
      this.path.pop();
    }
  }

  private positional(a: unknown[], b: unknown[], state: Rules, depth: number): void {
    const before = this.out.count;
    if (a.length !== b.length) this.out.add(this.path, "length", String(a.length), String(b.length));
    const common = Math.min(a.length, b.length);
    for (let i = 0; i < common && !this.out.full; i++) {
      const child = atIndex(state, i);
      if (child.info.ignore) continue;
      this.path.push(i);
      this.walk(a[i], b[i], child, depth + 1);
      this.path.pop();
    }
    // A probe only asks whether anything differs (a permutation does), and must stay linear: a nested
    // check inside a check would grow exponentially with depth.
    if (
      !this.out.probe &&
      a.length === b.length &&
      a.length > 1 &&
      a.length <= ORDER_MAX &&
      this.out.count > before &&
      this.isPermutation(a, b, state, depth)
    ) {
      this.out.truncate(before);
      this.report("order", a, b);
    }
  }

  /** Whether `b` holds the same elements as `a` (under the rules) in another order. */
  private isPermutation(a: unknown[], b: unknown[], state: Rules, depth: number): boolean {
    const used = new Array<boolean>(b.length).fill(false);
    const probe = new JsonDiff(new DiffCollector(1, true));
    for (let i = 0; i < a.length; i++) {
      const child = atIndex(state, i);
      if (child.info.ignore) continue;
      let found = false;
      for (let j = 0; j < b.length && !found; j++) {
        if (used[j]) continue;
        probe.out.truncate(0);
        probe.walk(a[i], b[j], child, depth + 1);
        if (probe.out.count === 0) used[j] = found = true;
      }
      if (!found) return false;
    }
    return true;
  }

  /** Arrays compared as sets keyed by `by`; false (nothing reported) when an element has no usable or a repeated key. */
  private keyed(a: unknown[], b: unknown[], by: string, state: Rules, depth: number): boolean {
    const keysA = keysOf(a, by);
    const keysB = keysA && keysOf(b, by);
    if (!keysA || !keysB) return false;
    const indexB = new Map<string, number>();
    keysB.forEach((key, j) => indexB.set(key, j));
    for (let i = 0; i < a.length && !this.out.full; i++) {
      const key = keysA[i] as string;
      const segment = keyedSegment(by, key);
      const child = state.step(segment);
      const j = indexB.get(key);
      indexB.delete(key);
      if (child.info.ignore) continue;
      this.path.push(segment);
      if (j === undefined) this.report("missing", a[i], undefined, "legacy");
      else this.walk(a[i], b[j], child, depth + 1);
      this.path.pop();
    }
    for (const [key, j] of indexB) {
      const segment = keyedSegment(by, key);
      if (state.step(segment).info.ignore) continue;
      this.path.push(segment);
      this.report("extra", undefined, b[j], "service");
      this.path.pop();
    }
    return true;
  }

  private report(
    kind: "value" | "type" | "missing" | "extra" | "order",
    a: unknown,
    b: unknown,
    only?: "legacy" | "service",
  ) {
    if (this.out.probe) return this.out.add(this.path, kind);
    this.out.add(
      this.path,
      kind,
      only === "service" ? undefined : previewValue(a),
      only === "legacy" ? undefined : previewValue(b),
    );
  }
}

/** Each element's key (JSON-encoded), or undefined when one has none, a non-scalar one or a repeated one. */
function keysOf(elements: unknown[], by: string): string[] | undefined {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const element of elements) {
    if (typeof element !== "object" || element === null || Array.isArray(element) || !hasOwn(element, by))
      return undefined;
    const value = (element as JsonObject)[by];
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return undefined;
    const key = JSON.stringify(value);
    if (seen.has(key)) return undefined;
    seen.add(key);
    keys.push(key);
  }
  return keys;
}
