/** PostgreSQL LSN text ("16/B374D848") → a number (safe: WAL positions stay far below 2^53). */
export function parseLsn(text: string): number {
  const [high, low] = text.split("/");
  if (high === undefined || low === undefined) throw new Error(`not an LSN: ${text}`);
  return parseInt(high, 16) * 2 ** 32 + parseInt(low, 16);
}

/** A number → PostgreSQL LSN text. */
export function formatLsn(lsn: number): string {
  const high = Math.floor(lsn / 2 ** 32);
  const low = lsn - high * 2 ** 32;
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}
