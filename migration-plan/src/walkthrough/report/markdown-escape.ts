// GitHub renders inline HTML in Markdown (and sanitises it, but a `<details>` or an image would still
// change the page), and a `|` ends a table cell: text from the input goes through here.
const MARKDOWN_SPECIAL = /[\\`*_[\]|#~]/g;
const HTML_SPECIAL: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** Text from the input for a Markdown paragraph or table cell: one line, no markup, no cell break. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\p{Cc}+/gu, " ")
    .replace(/[&<>]/g, (c) => HTML_SPECIAL[c] ?? c)
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

/** A Markdown link when the URL is http(s) or relative (no scheme), else the escaped text (no javascript: links). */
export function markdownLink(label: string, url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith("//")) {
    try {
      return `[${escapeMarkdown(label)}](<${encodeURI(url)}>)`;
    } catch {
      return escapeMarkdown(url); // a lone surrogate: no URL can hold it
    }
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return escapeMarkdown(url);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return escapeMarkdown(url);
  return `[${escapeMarkdown(label)}](<${parsed.href.replace(/[<>\s]/g, encodeURIComponent)}>)`;
}
