import { DAY_MS, MINUTE_MS, seedDate } from "./seed-clock";
import { PRODUCT_ADJECTIVES, PRODUCT_CATEGORIES } from "./seed-vocabulary";
import type { SeededRandom } from "./seeded-random";

export interface SeedProduct {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  stock: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A catalogue across five categories, priced at .99, with one product in ten sold out. */
export function generateProducts(random: SeededRandom, count: number): SeedProduct[] {
  const products: SeedProduct[] = [];
  for (let i = 0; i < count; i += 1) {
    const category = PRODUCT_CATEGORIES[i % PRODUCT_CATEGORIES.length] ?? PRODUCT_CATEGORIES[0];
    const adjective = random.pick(PRODUCT_ADJECTIVES);
    const material = random.pick(category.materials);
    const noun = random.pick(category.nouns);
    const [minCents, maxCents] = category.cents;
    const priceCents = random.int(Math.floor(minCents / 100), Math.floor(maxCents / 100)) * 100 + 99;
    // The catalogue exists before the first user signs up.
    const createdAt = seedDate(-30 * DAY_MS + i * 7 * MINUTE_MS);
    products.push({
      id: random.uuid(),
      sku: `${category.prefix}-${String(i + 1).padStart(5, "0")}`,
      name: `${adjective} ${material} ${noun}`,
      description: `${adjective} ${material} ${noun}, from our ${category.label} range.`,
      priceCents,
      stock: random.chance(0.1) ? 0 : random.int(1, 500),
      createdAt,
      updatedAt: createdAt,
    });
  }
  return products;
}
