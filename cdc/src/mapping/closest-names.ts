/** Levenshtein distance between two strings (insert, delete, substitute: 1 each). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * The names of `candidates` closest to `wanted`, best first, at most `limit`: those equal but for
 * case first (`user` → `User`), then those within a third of the name's length in edit distance
 * (at least 2), nearest first. Empty when nothing is close.
 */
export function closestNames(wanted: string, candidates: readonly string[], limit = 3): string[] {
  const lower = wanted.toLowerCase();
  const sameButCase = candidates.filter((name) => name !== wanted && name.toLowerCase() === lower);
  const within = Math.max(2, Math.floor(wanted.length / 3));
  const near = candidates
    .filter((name) => name !== wanted && name.toLowerCase() !== lower)
    .map((name) => ({ name, distance: editDistance(lower, name.toLowerCase()) }))
    .filter(({ distance }) => distance <= within)
    .sort((x, y) => x.distance - y.distance || x.name.localeCompare(y.name))
    .map(({ name }) => name);
  return [...sameButCase, ...near].slice(0, limit);
}

/** ` (did you mean "createdAt"?)` or ` (did you mean "a", "b"?)`, or "" when nothing is close. */
export function didYouMean(wanted: string, candidates: readonly string[]): string {
  const close = closestNames(wanted, candidates);
  return close.length === 0 ? "" : `; did you mean ${close.map((name) => `"${name}"`).join(", ")}?`;
}
