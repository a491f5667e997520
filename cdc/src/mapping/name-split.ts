/** Splits at the first separator: "Ada Lovelace King" → ["Ada", "Lovelace King"]; "Cher" → ["Cher", ""]. */
export function splitAtFirst(value: string, separator: string): [string, string] {
  const at = value.indexOf(separator);
  return at < 0 ? [value, ""] : [value.slice(0, at), value.slice(at + separator.length)];
}

/** The inverse of splitAtFirst: an empty second part adds no separator, so "Cher" survives a round trip. */
export function joinParts(first: string, second: string, separator: string): string {
  return second === "" ? first : `${first}${separator}${second}`;
}
