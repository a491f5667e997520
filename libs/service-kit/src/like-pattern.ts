/**
 * Escapes LIKE wildcards so a search term matches as plain text. Prisma's `contains` passes `%`
 * and `_` through as wildcards; PostgreSQL's default LIKE escape character is the backslash.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
