/** A JSON pointer with its array indices replaced by `*` (`/items/3/price` → `/items/*` + `/price`): noise is learnt per field, not per element. */
export function generalisePath(path: string): string {
  return path.replace(/\/\d+(?=\/|$)/g, "/*");
}
