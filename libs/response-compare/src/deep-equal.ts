const hasOwn = (target: object, key: string) => Object.prototype.hasOwnProperty.call(target, key);

/**
 * Strict structural equality of two parsed JSON values, with an explicit stack instead of recursion:
 * used below the comparator's depth bound, where a hostile body may nest 100,000 levels deep.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  const stack: unknown[] = [a, b];
  while (stack.length > 0) {
    const y = stack.pop();
    const x = stack.pop();
    if (x === y) continue;
    if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) stack.push(x[i], y[i]);
      continue;
    }
    let count = 0;
    for (const key in x) {
      if (!hasOwn(x, key)) continue;
      if (!hasOwn(y, key)) return false;
      count++;
      stack.push((x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key]);
    }
    for (const key in y) if (hasOwn(y, key)) count--;
    if (count !== 0) return false;
  }
  return true;
}
