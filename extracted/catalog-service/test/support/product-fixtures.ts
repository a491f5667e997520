/** A product as both apps answer for it, with the id and timestamps a test fixes. */
export interface ProductFixture {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  stock: number;
  createdAt: string;
  updatedAt: string;
}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 15, 9, minute, 0, 0)).toISOString();
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

/**
 * Products with the edges the contract cares about: two created in the same millisecond (ordered
 * by id), zero and maximal price and stock, LIKE wildcards and non-ASCII text, and enough rows to
 * fill more than one default page.
 */
export const PRODUCT_FIXTURES: readonly ProductFixture[] = [
  {
    id: uuid(0xb2),
    sku: "LAMP-RED",
    name: "Reading Lamp",
    description: "",
    priceCents: 5000,
    stock: 3,
    createdAt: at(0),
    updatedAt: at(30),
  },
  {
    id: uuid(0xa1),
    sku: "LAMP-BLU",
    name: "Desk Lamp",
    description: "Blue",
    priceCents: 4500,
    stock: 7,
    createdAt: at(0),
    updatedAt: at(0),
  },
  {
    id: uuid(0xc3),
    sku: "CHAIR-01",
    name: "Office Chair",
    description: "Ergonomisch — mit Rückenlehne ✓",
    priceCents: 0,
    stock: 0,
    createdAt: at(1),
    updatedAt: at(2),
  },
  {
    id: uuid(0xd4),
    sku: "TEE_100",
    name: "T-shirt 100% cotton",
    description: "Sizes S–XL",
    priceCents: 100_000_000,
    stock: 1_000_000_000,
    createdAt: at(2),
    updatedAt: at(2),
  },
  ...Array.from({ length: 21 }, (_, i) => ({
    id: uuid(0x100 + i),
    sku: `BULK-${String(i).padStart(2, "0")}`,
    name: `Bulk item ${i}`,
    description: "",
    priceCents: 100 + i,
    stock: i,
    createdAt: at(10 + i),
    updatedAt: at(10 + i),
  })),
];

/** The fixtures in the API's list order: created, then id. */
export function inListOrder(products: readonly ProductFixture[]): ProductFixture[] {
  return [...products].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}
