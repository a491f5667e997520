// The report is HTML that is also well-formed XML (so a test can parse it): characters XML cannot hold
// at all (C0 controls other than tab, newline and carriage return, lone surrogates, U+FFFE, U+FFFF)
// are shown as \uXXXX rather than dropped, so a message keeps its evidence.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text from the input for HTML or SVG content or a quoted attribute value: markup cannot get through. */
export function escapeHtml(text: string): string {
  return text
    .replace(NOT_XML, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`)
    .replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** A URL safe for an href: http(s) only (no javascript: or data:), escaped; null for anything else. */
export function safeHref(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  return escapeHtml(parsed.href);
}
