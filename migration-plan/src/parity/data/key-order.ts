/**
 * How a key column is ordered, the same way in SQL on both sides and in JavaScript, so two streams
 * read in key order can be merged. Integers and uuids keep their own order (an index serves it);
 * anything else is ordered by its PostgreSQL text form under the "C" collation (byte order of UTF-8,
 * the same on every server), which code points reproduce in JavaScript.
 */
export type KeyOrderKind = "integer" | "uuid" | "text";

const INTEGER_TYPES = new Set(["smallint", "integer", "bigint"]);

/** The order both sides can share for one key column, from its type on each side (format_type text). */
export function keyOrderKind(legacyType: string, serviceType: string): KeyOrderKind {
  if (INTEGER_TYPES.has(legacyType) && INTEGER_TYPES.has(serviceType)) return "integer";
  if (legacyType === "uuid" && serviceType === "uuid") return "uuid";
  return "text";
}

/** The ORDER BY expression of a key column: `column` is its quoted name, `text` its text-form expression. */
export function keyOrderSql(kind: KeyOrderKind, column: string, text: string): string {
  return kind === "text" ? `(${text}) COLLATE "C"` : column;
}

/** The parameter a key value is compared with in a keyset predicate (`(…) > ($1, $2)`). */
export function keyParamSql(kind: KeyOrderKind, param: number): string {
  if (kind === "integer") return `$${param}::int8`;
  if (kind === "uuid") return `$${param}::uuid`;
  return `$${param}::text COLLATE "C"`;
}

function compareIntegers(a: string, b: string): number {
  const negativeA = a.startsWith("-");
  const negativeB = b.startsWith("-");
  if (negativeA !== negativeB) return negativeA ? -1 : 1;
  // Same sign, canonical text (no leading zeros): the longer is further from zero.
  const magnitude = a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
  return negativeA ? -magnitude : magnitude;
}

/** UTF-8 byte order (what COLLATE "C" gives) of two JavaScript strings: code point order. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (part of a code point ≥ U+10000) sorts after every other unit, U+E000–U+FFFF included although its unit is smaller.
    const surrogateX = x >= 0xd800 && x <= 0xdfff;
    const surrogateY = y >= 0xd800 && y <= 0xdfff;
    if (surrogateX !== surrogateY) return surrogateX ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

function compareOne(kind: KeyOrderKind, a: string, b: string): number {
  if (kind === "integer") return compareIntegers(a, b);
  if (kind === "uuid") return a < b ? -1 : a > b ? 1 : 0;
  return compareCodePoints(a, b);
}

/** Compares two keys (text values in key-column order) as the SQL ORDER BY of keyOrderSql sorts them. */
export function compareKeys(kinds: readonly KeyOrderKind[], a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < kinds.length; i += 1) {
    const order = compareOne(kinds[i] as KeyOrderKind, a[i] as string, b[i] as string);
    if (order !== 0) return order;
  }
  return 0;
}
