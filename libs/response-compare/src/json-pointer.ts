/** Splits an RFC 6901 JSON pointer into its unescaped segments ("" → [], "/a~1b/~0c" → ["a/b", "~c"]). */
export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => (segment.includes("~") ? segment.replace(/~1/g, "/").replace(/~0/g, "~") : segment));
}

/** Escapes one segment for a JSON pointer (RFC 6901: `~` as `~0`, `/` as `~1`). */
export function escapeSegment(segment: string): string {
  if (!segment.includes("~") && !segment.includes("/")) return segment;
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Joins raw segments into a JSON pointer. */
export function formatPointer(segments: readonly string[]): string {
  let pointer = "";
  for (const segment of segments) pointer += "/" + escapeSegment(segment);
  return pointer;
}

/**
 * The segment of an array element matched by key (arrays compared as sets): `[id=7]`, `[sku="A-1"]`
 * (the key's value JSON-encoded, so a number and a string never look alike).
 */
export function keyedSegment(by: string, encodedKey: string): string {
  return `[${by}=${encodedKey}]`;
}

const INDEX_LIKE = /^(?:\d+|\[[^=\]]*=.*\])$/;

/**
 * A pointer with array positions generalised to `*`: indices, keyed elements (`[id=7]`) and, since a
 * pointer does not say which, object members whose name is all digits (maps keyed by id group together too).
 */
export function generalisePath(path: string): string {
  if (path === "" || !/\/(?:\d|\[)/.test(path)) return path;
  return path
    .split("/")
    .map((segment, i) => (i > 0 && INDEX_LIKE.test(segment) ? "*" : segment))
    .join("/");
}
