import { VALUE_PREVIEW_CHARS } from "./defaults";

/**
 * A value JSON-encoded and cut to `limit` characters ("…" marks the cut). Stops encoding once the
 * budget is spent, so a huge or deeply nested value costs no more than its preview.
 */
export function previewValue(value: unknown, limit = VALUE_PREVIEW_CHARS): string {
  const parts: string[] = [];
  let size = 0;
  const emit = (text: string): boolean => {
    parts.push(text);
    size += text.length;
    return size <= limit;
  };
  const encode = (node: unknown): boolean => {
    if (node === null || typeof node !== "object") return emit(JSON.stringify(node) ?? "null");
    if (Array.isArray(node)) {
      if (!emit("[")) return false;
      for (let i = 0; i < node.length; i++) if ((i > 0 && !emit(",")) || !encode(node[i])) return false;
      return emit("]");
    }
    if (!emit("{")) return false;
    let first = true;
    for (const key in node) {
      if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
      if ((!first && !emit(",")) || !emit(JSON.stringify(key) + ":")) return false;
      first = false;
      if (!encode((node as Record<string, unknown>)[key])) return false;
    }
    return emit("}");
  };
  encode(value);
  return cut(parts.join(""), limit);
}

/** Text cut to `limit` characters, "…" marking the cut (never splitting a surrogate pair). */
export function cut(text: string, limit = VALUE_PREVIEW_CHARS): string {
  if (text.length <= limit) return text;
  let end = limit - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end) + "…";
}
