import { HOUR_MS, SIGNUP_SPAN_MS, seedDate } from "./seed-clock";
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, MIDDLE_NAMES, PHONE_PREFIXES } from "./seed-vocabulary";
import type { SeededRandom } from "./seeded-random";

export interface SeedUser {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  createdAt: Date;
  updatedAt: Date;
}

// Email local parts are plain ASCII: "Zoltán O'Brien" → "zoltan.obrien".
function emailPart(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

/** Users with "First [Middle] Last" names, unique lower-case emails, and a quarter without phone. */
export function generateUsers(random: SeededRandom, count: number): SeedUser[] {
  const taken = new Set<string>();
  const users: SeedUser[] = [];
  for (let i = 0; i < count; i += 1) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const middle = random.chance(0.12) ? random.pick(MIDDLE_NAMES) : undefined;
    const domain = random.pick(EMAIL_DOMAINS);
    const base = `${emailPart(first)}.${emailPart(last)}`;
    let email = `${base}@${domain}`;
    for (let n = 2; taken.has(email); n += 1) email = `${base}${n}@${domain}`;
    taken.add(email);
    const phone = random.chance(0.25) ? null : `${random.pick(PHONE_PREFIXES)} ${random.int(1000, 9999)}`;
    // Sign-ups spread evenly over the span, with jitter, so ids and dates do not line up.
    const createdAt = seedDate((i / Math.max(count, 1)) * SIGNUP_SPAN_MS + random.int(0, 12 * HOUR_MS));
    const edited = random.chance(0.2);
    const updatedAt = edited ? new Date(createdAt.getTime() + random.int(1, 60 * 24) * HOUR_MS) : createdAt;
    users.push({
      id: random.uuid(),
      email,
      name: [first, middle, last].filter(Boolean).join(" "),
      phone,
      createdAt,
      updatedAt,
    });
  }
  return users;
}
