// Realistic shadow-comparison inputs for the comparator benchmark: user-profile-like JSON bodies of
// about 2 KB with nested arrays, the candidate's copy serialised in another key order (as a rewritten
// service would), and a share of pairs with one planted difference. Deterministic for a given seed.

/** One legacy/service pair of encoded bodies. */
export interface BodyPair {
  legacy: Buffer;
  service: Buffer;
  /** Whether a difference was planted. */
  differs: boolean;
}

/** A small deterministic generator (mulberry32), so every run compares the same bodies. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken"];
const LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson"];
const CITIES = ["London", "Arlington", "Wilmslow", "Rotterdam", "Boston", "Milwaukee", "Peru", "New Orleans"];

function profile(next: () => number, id: number): Record<string, unknown> {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const at = (offsetDays: number) => new Date(Date.UTC(2026, 0, 1) + offsetDays * 86_400_000).toISOString();
  const first = pick(FIRST);
  const last = pick(LAST);
  return {
    id,
    uuid: `6f1c${id.toString(16).padStart(4, "0")}-9a2b-4c3d-8e4f-${Math.floor(next() * 1e12)
      .toString(16)
      .padStart(12, "0")}`,
    firstName: first,
    lastName: last,
    email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
    createdAt: at(-Math.floor(next() * 900)),
    updatedAt: at(-Math.floor(next() * 30)),
    active: next() > 0.1,
    address: {
      street: `${Math.floor(next() * 200)} Main Street`,
      city: pick(CITIES),
      postcode: "AB1 2CD",
      country: "GB",
    },
    roles: next() > 0.8 ? ["customer", "admin"] : ["customer"],
    preferences: {
      newsletter: next() > 0.5,
      language: "en-GB",
      currency: "GBP",
      theme: next() > 0.5 ? "dark" : "light",
    },
    orders: Array.from({ length: 5 }, (_, o) => ({
      id: id * 10 + o,
      status: pick(["placed", "paid", "shipped", "delivered"]),
      placedAt: at(-Math.floor(next() * 300)),
      total: Math.round(next() * 50_000) / 100,
      items: Array.from({ length: 3 }, (_, i) => ({
        sku: `SKU-${(id * 7 + o * 3 + i) % 1000}`,
        name: pick(["Widget", "Gadget", "Gizmo", "Doohickey"]),
        quantity: 1 + Math.floor(next() * 3),
        unitPrice: Math.round(next() * 10_000) / 100,
      })),
    })),
    tags: ["early-adopter", "newsletter", "beta"].filter(() => next() > 0.3),
  };
}

/** The same value with every object's keys in reverse order: equal JSON, different bytes. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, child]) => [key, reordered(child)]),
  );
}

/** `count` pairs, `diffShare` of them with one planted difference (a field changed somewhere in the body). */
export function makeProfilePairs(count: number, diffShare: number, seed = 11): BodyPair[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const legacy = profile(next, 1_000 + i);
    const service = reordered(legacy) as Record<string, unknown>;
    const differs = next() < diffShare;
    if (differs) {
      const orders = service.orders as Array<{ items: Array<{ unitPrice: number }> }>;
      if (i % 2 === 0) service.lastName = String(service.lastName).toUpperCase();
      else (orders[1]?.items[0] as { unitPrice: number }).unitPrice += 1;
    }
    return { legacy: Buffer.from(JSON.stringify(legacy)), service: Buffer.from(JSON.stringify(service)), differs };
  });
}
