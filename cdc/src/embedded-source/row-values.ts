import type { RowImage } from "../envelope/debezium-envelope";
import { toPgText } from "../mapping/pg-text";

/**
 * A row as the embedded source reads it (every value PostgreSQL's text, text-session.ts) → a
 * RowImage of text values. A column whose value is `undefined` is left out: pgoutput sends an
 * unchanged TOASTed value as "unchanged" when it has no old value to fill in, and a column left out
 * keeps its target value (writing null would lose it). Values of another form (a row read without
 * the text session) are turned into their text form.
 */
export function toRowImage(row: Record<string, unknown> | null | undefined): RowImage | null {
  if (row === null || row === undefined) return null;
  const image: RowImage = {};
  for (const column in row) {
    const value = row[column];
    if (value === undefined) continue;
    image[column] = typeof value === "string" || value === null ? value : toPgText(value);
  }
  return image;
}
