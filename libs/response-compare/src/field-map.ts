import { CompareRulesError } from "./compare-error";
import { parsePointer } from "./json-pointer";

/** One old→new field move, compiled: segments of the legacy pointer and of the service pointer (`*` = the same member on both sides). */
export interface FieldMove {
  readonly from: readonly string[];
  readonly to: readonly string[];
}

/** Compiles the `map` rules; the wildcards of each side must pair up, `**` cannot be mapped. */
export function compileFieldMap(map: Readonly<Record<string, string>>): FieldMove[] {
  const moves: FieldMove[] = [];
  const targets = new Map<string, string>();
  for (const [legacy, service] of Object.entries(map)) {
    const from = parsePointer(legacy);
    const to = parsePointer(service);
    const stars = (segments: string[]) => segments.filter((s) => s === "*").length;
    if (from.length === 0 || to.length === 0 || from.includes("**") || to.includes("**") || stars(from) !== stars(to))
      throw new CompareRulesError(`map ${legacy} → ${service}: cannot be applied (see the compare rules' map)`);
    const other = targets.get(service);
    if (other !== undefined) throw new CompareRulesError(`map: ${other} and ${legacy} both move to ${service}`);
    targets.set(service, legacy);
    moves.push({ from, to });
  }
  return moves;
}

interface Found {
  readonly from: string[];
  readonly to: string[];
  readonly value: unknown;
}

const hasOwn = (target: object, key: string) => Object.prototype.hasOwnProperty.call(target, key);
const isContainer = (value: unknown): value is Record<string, unknown> | unknown[] =>
  typeof value === "object" && value !== null;

/**
 * The legacy body with each mapped field moved to where the service keeps it, so that a candidate's
 * `displayName` is compared with the monolith's `name`. The parsed body is never mutated: containers
 * on the moved paths are copied (copy-on-write), everything else is shared.
 */
export function applyFieldMap(body: unknown, moves: readonly FieldMove[]): unknown {
  if (moves.length === 0) return body;
  const found: Found[] = [];
  for (const move of moves) collect(body, move, 0, [], [], found);
  if (found.length === 0) return body;
  const owned = new Set<object>();
  let root = body;
  for (const item of found) root = removeAt(root, item.from, owned);
  for (const item of found) root = setAt(root, item.to, item.value, owned);
  return root;
}

function collect(value: unknown, move: FieldMove, depth: number, path: string[], captured: string[], out: Found[]) {
  if (depth === move.from.length) {
    let next = 0;
    out.push({ from: [...path], to: move.to.map((s) => (s === "*" ? (captured[next++] as string) : s)), value });
    return;
  }
  if (!isContainer(value)) return;
  const segment = move.from[depth] as string;
  const keys = segment === "*" ? Object.keys(value) : [segment];
  for (const key of keys) {
    if (!hasOwn(value, key) || (Array.isArray(value) && !/^\d+$/.test(key))) continue;
    path.push(key);
    if (segment === "*") captured.push(key);
    collect((value as Record<string, unknown>)[key], move, depth + 1, path, captured, out);
    if (segment === "*") captured.pop();
    path.pop();
  }
}

function own<T extends object>(container: T, owned: Set<object>): T {
  if (owned.has(container)) return container;
  const copy = (Array.isArray(container) ? [...container] : { ...container }) as T;
  owned.add(copy);
  return copy;
}

/** Defines a member even when it is named `__proto__` (plain assignment would set the prototype). */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function removeAt(value: unknown, path: readonly string[], owned: Set<object>, depth = 0): unknown {
  if (!isContainer(value)) return value;
  const key = path[depth] as string;
  if (!hasOwn(value, key)) return value;
  // An array element is not removed: that would shift its siblings.
  if (depth === path.length - 1 && Array.isArray(value)) return value;
  const copy = own(value, owned) as Record<string, unknown>;
  if (depth === path.length - 1) delete copy[key];
  else define(copy, key, removeAt(copy[key], path, owned, depth + 1));
  return copy;
}

function setAt(value: unknown, path: readonly string[], moved: unknown, owned: Set<object>, depth = 0): unknown {
  if (depth === path.length) return moved;
  const key = path[depth] as string;
  if (value === undefined) {
    const created = {};
    owned.add(created);
    define(created, key, setAt(undefined, path, moved, owned, depth + 1));
    return created;
  }
  if (!isContainer(value)) return value;
  if (Array.isArray(value) && !(hasOwn(value, key) && /^\d+$/.test(key))) return value;
  const copy = own(value, owned) as Record<string, unknown>;
  define(copy, key, setAt(hasOwn(copy, key) ? copy[key] : undefined, path, moved, owned, depth + 1));
  return copy;
}
