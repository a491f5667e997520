/** A flag as a person reads it: "50%", "off" (disabled: nobody gets it), "missing", "no rollout". */
export function formatFlag(state: { exists?: boolean; enabled: boolean; rollout: number | null }): string {
  if (state.exists === false) return "missing";
  if (!state.enabled) return "off";
  return state.rollout === null ? "no rollout" : `${state.rollout}%`;
}

/** Milliseconds as "0.9 s". */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Rows as space-aligned columns (the last column is not padded). */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
