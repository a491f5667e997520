import type { CompareRulesConfig } from "@strangler/migration-config";

/** A normaliser compiled from the rules: one way in which two leaf values count as equal. */
export type Normaliser =
  | { readonly kind: "caseInsensitive" }
  | { readonly kind: "tolerance"; readonly amount: number }
  | { readonly kind: "timestampPrecision"; readonly unitMs: number }
  | { readonly kind: "nullIsMissing" };

const UNIT_MS = { ms: 1, s: 1_000, min: 60_000 } as const;

/** Compiles one normaliser rule of the config (the schema guarantees exactly one way per rule). */
export function compileNormaliser(rule: CompareRulesConfig["normalise"][number]): Normaliser {
  if (rule.caseInsensitive) return { kind: "caseInsensitive" };
  if (rule.tolerance !== undefined) return { kind: "tolerance", amount: rule.tolerance };
  if (rule.timestampPrecision) return { kind: "timestampPrecision", unitMs: UNIT_MS[rule.timestampPrecision] };
  return { kind: "nullIsMissing" };
}

/** Whether two leaf values that are not strictly equal count as equal under any of the normalisers at their path. */
export function equalUnderNormalisers(a: unknown, b: unknown, normalisers: readonly Normaliser[]): boolean {
  for (const normaliser of normalisers) {
    switch (normaliser.kind) {
      case "caseInsensitive":
        if (typeof a === "string" && typeof b === "string" && foldCase(a) === foldCase(b)) return true;
        break;
      case "tolerance":
        if (typeof a === "number" && typeof b === "number" && withinTolerance(a, b, normaliser.amount)) return true;
        break;
      case "timestampPrecision":
        if (typeof a === "string" && typeof b === "string" && sameTruncatedInstant(a, b, normaliser.unitMs))
          return true;
        break;
      case "nullIsMissing":
        break;
    }
  }
  return false;
}

/**
 * |a − b| ≤ amount, allowing for binary rounding: 1.01 − 1 is 0.010000000000000009, and a user who
 * writes `tolerance: 0.01` means those two to be equal.
 */
function withinTolerance(a: number, b: number, amount: number): boolean {
  return Math.abs(a - b) - amount <= 4 * Number.EPSILON * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Whether `null` and an absent member are the same at this path. */
export function nullIsMissing(normalisers: readonly Normaliser[]): boolean {
  return normalisers.some((normaliser) => normaliser.kind === "nullIsMissing");
}

/**
 * Unicode-aware case folding without a locale: upper-casing first maps `ß` to `SS` and both sigmas to
 * `Σ`, so "Straße" and "STRASSE" fold alike (plain toLowerCase would not).
 */
function foldCase(text: string): string {
  return text.toUpperCase().toLowerCase();
}

// ISO 8601 date-time: date, T or space, hh:mm, optional :ss and fraction, optional zone (none = UTC).
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/** Milliseconds since the epoch of an ISO 8601 date-time, honouring its offset; undefined when it is not one. */
export function parseTimestamp(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const sign = m[9] === "-" ? -1 : 1;
  const offsetMinutes = m[9] === undefined ? 0 : sign * (Number(m[10]) * 60 + Number(m[11]));
  if (Math.abs(offsetMinutes) > 18 * 60) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

function sameTruncatedInstant(a: string, b: string, unitMs: number): boolean {
  const x = parseTimestamp(a);
  const y = parseTimestamp(b);
  return x !== undefined && y !== undefined && Math.floor(x / unitMs) === Math.floor(y / unitMs);
}
