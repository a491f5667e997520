import type { Difference, DifferenceKind } from "./compare-types";
import { generalisePath } from "./json-pointer";

/** One field of a signature: a generalised path (array positions as `*`) and a kind. */
export interface SignatureField {
  path: string;
  kind: DifferenceKind;
}

// A pointer may hold any character, a newline too: the signature escapes "\" and newlines in paths so
// that signatureFields can split it back.
const escapePath = (path: string) => path.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const unescapePath = (path: string) => path.replace(/\\(\\|n)/g, (_m, c: string) => (c === "n" ? "\n" : "\\"));

/**
 * The stable signature of a set of differences: the distinct `kind path` pairs with array positions as
 * `*`, sorted, one per line; "" when there are none. The same field differing in different list
 * elements, or in a different order, gives the same signature.
 */
export function signatureOf(differences: readonly Difference[]): string {
  const pairs = new Set<string>();
  for (const difference of differences) pairs.add(`${difference.kind} ${escapePath(generalisePath(difference.path))}`);
  return [...pairs].sort().join("\n");
}

/** The fields of a signature made by signatureOf (what the result store keeps per signature). */
export function signatureFields(signature: string): SignatureField[] {
  if (signature === "") return [];
  return signature.split("\n").map((line) => {
    const space = line.indexOf(" ");
    return { kind: line.slice(0, space) as DifferenceKind, path: unescapePath(line.slice(space + 1)) };
  });
}
