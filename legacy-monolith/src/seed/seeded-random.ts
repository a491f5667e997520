/** A deterministic random source: the same seed gives the same sequence on every machine. */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(values: readonly T[]): T;
  chance(probability: number): boolean;
  /** A v4-format UUID drawn from this sequence (not crypto-random, by design). */
  uuid(): string;
}

// FNV-1a, to derive independent streams per table from one seed and a label.
function hash(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i += 1) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * mulberry32 seeded with (seed, stream). Separate streams keep, say, the users identical when
 * only the number of orders changes.
 */
export function seededRandom(seed: number, stream: string): SeededRandom {
  let state = hash(seed, stream);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const word = (): string =>
    Math.floor(next() * 4294967296)
      .toString(16)
      .padStart(8, "0");
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (values) => {
      if (values.length === 0) throw new Error("pick from an empty list");
      return values[Math.floor(next() * values.length)] as (typeof values)[number];
    },
    chance: (probability) => next() < probability,
    uuid: () => {
      const hex = word() + word() + word() + word();
      // Version nibble 4 and variant bits 10xx, so validators that insist on RFC 4122 accept it.
      const variant = ((parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
  };
}
